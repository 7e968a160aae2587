"""The counters above the orders list cover every status, so they add up to the day's orders (issue 22, item 10)."""

import pytest

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
