"""The ledger, reservations and first-expired-first-out picking."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import tomorrow
from inventory.ledger import lot_receive
from inventory.models import Reservation, StockMovement
from inventory.reservations import InsufficientStock, order_dispatch_stock, order_reserve_stock
from inventory.selectors import available_by_item, on_hand_by_item
from inventory.tests.factories import ItemFactory, WarehouseFactory
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def test_an_order_stock_cannot_cover_is_flagged_short_and_reserves_nothing(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=3, per_pack=4)

    assert order.status == DeliveryOrder.Status.SHORT
    assert Reservation.objects.count() == 0
    assert available_by_item(warehouse=warehouse, on=tomorrow()) == {item.pk: 3}


def test_reserving_more_than_available_is_refused_with_the_shortfall(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=6)
    pack = order.lines.get().pack

    with pytest.raises(InsufficientStock) as refused:
        order_reserve_stock(order=order, pack_quantities=[(pack, 1)])

    assert refused.value.shortages == {item: (6, 4)}
    assert "needs 6, 4 available" in str(refused.value)
    assert Reservation.objects.filter(status="active").count() == 1


def test_expired_lots_are_not_available(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    today = timezone.localdate()
    actor = role_users["supplier_coordinator"]
    lot_receive(
        actor=actor,
        item=item,
        warehouse=warehouse,
        lot_code="OLD",
        quantity=5,
        expiry_date=today - dt.timedelta(days=1),
        received_on=today - dt.timedelta(days=20),
    )
    lot_receive(
        actor=actor,
        item=item,
        warehouse=warehouse,
        lot_code="NEW",
        quantity=3,
        expiry_date=today + dt.timedelta(days=30),
    )

    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 8}
    assert available_by_item(warehouse=warehouse, on=today) == {item.pk: 3}


def test_dispatch_takes_the_first_expiring_lot_first(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=1, per_pack=3)  # the lot "L1" has no expiry
    actor = role_users["supplier_coordinator"]
    soon = lot_receive(
        actor=actor,
        item=item,
        warehouse=warehouse,
        lot_code="SOON",
        quantity=2,
        expiry_date=tomorrow() + dt.timedelta(days=5),
    )
    later = lot_receive(
        actor=actor,
        item=item,
        warehouse=warehouse,
        lot_code="LATER",
        quantity=5,
        expiry_date=tomorrow() + dt.timedelta(days=90),
    )
    order_reserve_stock(order=order, pack_quantities=[(order.lines.get().pack, 1)])

    movements = order_dispatch_stock(actor=actor, order=order, on=tomorrow())

    assert [(m.lot.lot_code, m.quantity) for m in movements] == [("SOON", -2), ("LATER", -1)]
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 5}
    assert set(
        StockMovement.objects.filter(lot__in=[soon, later], kind="dispatch").values_list("quantity", flat=True)
    ) == {-2, -1}


def test_a_receipt_of_zero_units_is_refused(role_users):
    with pytest.raises(ValidationError) as refused:
        lot_receive(
            actor=role_users["supplier_coordinator"],
            item=ItemFactory(),
            warehouse=WarehouseFactory(),
            lot_code="X",
            quantity=0,
            expiry_date=None,
        )
    assert refused.value.code == "quantity_not_positive"

    assert StockMovement.objects.count() == 0
