"""Donations saved through the page at the same moment on PostgreSQL: each waiting order is held once.

Every donation runs the reservation pass (`orders_reserve_due`); before the order was locked and its status
re-read, two passes at the same moment held the same order twice or more."""

from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory
from inventory.ledger import balance_differences
from inventory.models import Reservation, Supplier
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.tests.races import ACTIVE, holds_per_order, run_together, units_held_per_order, waiting_orders


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
