"""The order lifecycle is one table: every step it allows works, every other is refused with nothing changed."""

import pytest
from django.core.exceptions import ValidationError

from logistics.lifecycle import NEXT, may_move, order_move, orders_move
from logistics.models import DeliveryOrder
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def test_every_status_is_in_the_table_and_delivered_and_cancelled_are_final():
    assert set(NEXT) == set(S.values)
    assert NEXT[S.DELIVERED] == NEXT[S.CANCELLED] == set()
    assert not may_move(S.OUT_FOR_DELIVERY, S.CANCELLED)  # on the van: it is delivered or it fails
    assert may_move(S.RESCHEDULED, S.RESERVED)


def test_a_step_the_table_does_not_allow_is_refused(role_users):
    stop = planned_stop(role_users)
    order = stop.order

    with pytest.raises(ValidationError) as refused:
        order_move(order, S.RESCHEDULED)
    assert refused.value.code == "invalid_transition"
    order.refresh_from_db()
    assert order.status == S.PLANNED
    with pytest.raises(ValueError, match="not a step"):
        orders_move(DeliveryOrder.objects.all(), current=S.DELIVERED, to=S.RESERVED)
