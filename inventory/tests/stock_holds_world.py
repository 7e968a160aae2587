"""What the stock hold tests share: an order holding units of a lot, and all a refused change must leave alone."""

import pytest

from inventory.models import Reservation, StockBalance, StockLot, StockMovement
from tests.scenarios import approved_order


@pytest.fixture
def held(role_users):
    """Ten units in lot L1, two of them held by one approved order due tomorrow."""
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    return order, StockLot.objects.get(item=item, warehouse=warehouse, lot_code="L1")


def ledger_state(lot: StockLot) -> tuple:
    """Balance, movements and active holds: everything a refused change must leave alone."""
    return (
        StockBalance.objects.get(lot=lot).quantity,
        list(StockMovement.objects.order_by("pk").values_list("lot_id", "kind", "quantity")),
        list(Reservation.objects.filter(status="active").values_list("order_id", "item_id", "quantity")),
    )
