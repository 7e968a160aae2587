"""Reservation passes racing on PostgreSQL: every waiting order is held once, whatever runs at the same time.

The planning run and every receipt and donation run the pass (`orders_reserve_due`); before the order was
locked and its status re-read, two passes at the same moment held the same order twice or more."""

import threading
import traceback
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory, tomorrow
from inventory.ledger import balance_differences, lot_receive
from inventory.models import Reservation, Supplier
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.services import orders_reserve_due
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

ACTIVE = Reservation.Status.ACTIVE


def waiting_orders(actor, warehouse, pack, count: int, status=DeliveryOrder.Status.PENDING) -> list[DeliveryOrder]:
    """`count` orders of one pack each, due tomorrow, waiting for stock."""
    orders = []
    for _ in range(count):
        request = aid_request_register(actor=actor, household=HouseholdFactory(), channel="phone", needs=["food"])
        plan = AidPlan.objects.create(request=request, first_delivery_on=tomorrow())
        order = DeliveryOrder.objects.create(
            plan=plan, household=request.household, warehouse=warehouse, due_date=tomorrow(), status=status
        )
        DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=1)
        orders.append(order)
    return orders


def run_together(targets) -> list[int]:
    """Start every target at the same moment, each on its own connection; returns their backend ids."""
    barrier = threading.Barrier(len(targets))
    backends: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def race(target):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait()
            try:
                target()
            except BaseException:  # noqa: BLE001 - reported to the test below, not swallowed
                with lock:
                    errors.append(traceback.format_exc())
            with lock:
                backends.append(pid)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return backends


def units_held_per_order(orders) -> dict[int, int]:
    rows = (
        Reservation.objects.filter(order__in=orders, status=ACTIVE)
        .values("order_id")
        .annotate(total=Sum("quantity"))
        .order_by("order_id")
    )
    return {row["order_id"]: row["total"] for row in rows}


def holds_per_order(orders) -> Counter:
    return Counter(Reservation.objects.filter(order__in=orders, status=ACTIVE).values_list("order_id", flat=True))


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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_donations_saved_at_the_same_moment_hold_each_waiting_order_once(role_users):
    warehouse, item = WarehouseFactory(), ItemFactory()
    donor = SupplierFactory(name="Parroquia San Diego", kind=Supplier.Kind.DONOR)
    orders = waiting_orders(
        role_users["intake_operator"], warehouse, pack_with({item: 1}), 40, status=DeliveryOrder.Status.SHORT
    )
    second = UserFactory(username="second_coordinator")
    second.groups.add(Group.objects.get(name="supplier_coordinator"))
    clients = []
    for number, user in enumerate((role_users["supplier_coordinator"], second), start=1):
        client = Client()
        client.force_login(user)
        data = {
            "donor": donor.pk,
            "warehouse": warehouse.pk,
            "received_on": timezone.localdate().isoformat(),
            "note": "",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item": item.pk,
            "lines-0-quantity": "40",
            "lines-0-lot_code": f"DON-{number}",
            "lines-0-expiry_date": "",
        }
        clients.append((client, data))

    statuses: list[int] = []
    run_together([lambda c=c, d=d: statuses.append(c.post(reverse("donation_new"), d).status_code) for c, d in clients])

    assert statuses == [302, 302]
    assert units_held_per_order(orders) == {order.pk: 1 for order in orders}
    assert holds_per_order(orders) == Counter({order.pk: 1 for order in orders})
    assert Reservation.objects.filter(status=ACTIVE).aggregate(total=Sum("quantity"))["total"] == 40
    assert balance_differences() == []
