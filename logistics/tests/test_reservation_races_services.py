"""Reservation passes racing on PostgreSQL: every waiting order is held once, whatever runs at the same time.

The planning run and every receipt and donation run the pass (`orders_reserve_due`); before the order was
locked and its status re-read, two passes at the same moment held the same order twice or more."""

from collections import Counter

import pytest
from django.db.models import Sum

from core.tests.factories import tomorrow
from inventory.ledger import balance_differences, lot_receive
from inventory.models import Reservation
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.services import orders_reserve_due
from logistics.tests.races import ACTIVE, holds_per_order, run_together, units_held_per_order, waiting_orders


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixteen_racing_reservation_passes_hold_each_order_exactly_once(role_users):
    warehouse, item = WarehouseFactory(), ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code="SHELF",
        quantity=40,
        expiry_date=None,
    )
    orders = waiting_orders(role_users["intake_operator"], warehouse, pack_with({item: 1}), 8)

    backends = run_together([lambda: orders_reserve_due(date=tomorrow())] * 16)

    assert len(set(backends)) == 16  # every pass had its own database connection
    assert units_held_per_order(orders) == {order.pk: 1 for order in orders}
    assert holds_per_order(orders) == Counter({order.pk: 1 for order in orders})
    assert Reservation.objects.filter(status=ACTIVE).aggregate(total=Sum("quantity"))["total"] == 8
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}
    assert balance_differences() == []
