"""The orders page shows a counter for every status, failed and out for delivery included (issue 22, item 10)."""

import pytest
from django.urls import reverse

from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


S = DeliveryOrder.Status


def test_the_orders_page_shows_out_for_delivery_and_failed_counts(client, role_users):
    order = approved_order(role_users)[0]
    DeliveryOrder.objects.filter(pk=order.pk).update(status=S.OUT_FOR_DELIVERY)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("orders"), {"date": order.due_date.isoformat()}).content.decode()

    assert '<li class="status-out">Out for delivery: <strong>1</strong></li>' in page
    assert '<li class="status-failed">Delivery failed: <strong>0</strong></li>' in page
    assert '<li class="total">Total: <strong>1</strong></li>' in page
