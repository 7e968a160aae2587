"""The counters above the orders list cover every status, so they add up to the day's orders (issue 22, item 10)."""

import pytest
from django.urls import reverse

from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def test_the_counts_name_every_status_and_add_up_to_the_days_orders(role_users):
    orders = [approved_order(role_users)[0] for _ in range(3)]
    DeliveryOrder.objects.filter(pk=orders[0].pk).update(status=S.OUT_FOR_DELIVERY)
    DeliveryOrder.objects.filter(pk=orders[1].pk).update(status=S.FAILED)
    day = orders[0].due_date

    counts = order_status_counts(day)

    assert set(counts) == set(S.values)
    assert (counts[S.OUT_FOR_DELIVERY], counts[S.FAILED], counts[S.RESERVED]) == (1, 1, 1)
    assert counts.total == 3
    assert [row[0] for row in counts.rows] == list(S.values)


def test_the_orders_page_shows_out_for_delivery_and_failed_counts(client, role_users):
    order = approved_order(role_users)[0]
    DeliveryOrder.objects.filter(pk=order.pk).update(status=S.OUT_FOR_DELIVERY)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("orders"), {"date": order.due_date.isoformat()}).content.decode()

    assert '<li class="status-out">Out for delivery: <strong>1</strong></li>' in page
    assert '<li class="status-failed">Delivery failed: <strong>0</strong></li>' in page
    assert '<li class="total">Total: <strong>1</strong></li>' in page
