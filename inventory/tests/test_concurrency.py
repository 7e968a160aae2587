"""Concurrent reservations never sell the same unit twice: real connections racing on PostgreSQL."""

import threading

import pytest
from django.db import connection

from core.tests.factories import tomorrow
from inventory.ledger import NegativeStock, balance_differences, lot_receive, stock_write_off
from inventory.models import Reservation, StockBalance
from inventory.reservations import InsufficientStock, order_reserve_stock
from inventory.selectors import available_by_item
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

RACERS = 12
UNITS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_reservations_take_exactly_the_units_on_hand(role_users):
    from requests_intake.models import AidPlan

    warehouse = WarehouseFactory()
    item = ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code="LAST",
        quantity=UNITS,
        expiry_date=None,
    )
    pack = pack_with({item: 1})
    orders = []
    for _ in range(RACERS):
        request = aid_request_register(
            actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
        )
        plan = AidPlan.objects.create(request=request, first_delivery_on=tomorrow())
        orders.append(
            DeliveryOrder.objects.create(
                plan=plan, household=request.household, warehouse=warehouse, due_date=tomorrow()
            )
        )

    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()
    backends: set[int] = set()

    def race(order):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait()
            try:
                order_reserve_stock(order=order, pack_quantities=[(pack, 1)])
                result = "reserved"
            except InsufficientStock as refused:
                result = "refused" if "needs 1, 0 available" in str(refused) else str(refused)
            with lock:
                outcomes.append(result)
                backends.add(pid)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(backends) == RACERS  # every racer had its own database connection
    assert sorted(outcomes) == ["refused"] * (RACERS - UNITS) + ["reserved"] * UNITS
    assert Reservation.objects.filter(status="active").count() == UNITS
    assert available_by_item(warehouse=warehouse, on=tomorrow()) == {item.pk: 0}
    assert balance_differences() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_write_offs_never_take_a_lot_below_zero(role_users):
    """The balance's check constraint is the last line: racers that read the same balance cannot both win."""
    actor = role_users["supplier_coordinator"]
    lot = lot_receive(
        actor=actor, item=ItemFactory(), warehouse=WarehouseFactory(), lot_code="W", quantity=UNITS, expiry_date=None
    )
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race():
        try:
            barrier.wait()
            try:
                stock_write_off(actor=actor, lot=lot, quantity=1, reason="damaged")
                result = "written off"
            except NegativeStock:
                result = "refused"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * (RACERS - UNITS) + ["written off"] * UNITS
    assert StockBalance.objects.get(lot=lot).quantity == 0
    assert balance_differences() == []
