"""Cancelling an order and recording a stop: the stock follows, and each refusal carries its code and changes
nothing."""

import pytest
from django.core.exceptions import ValidationError

from delivery.models import Stop
from delivery.services import round_start, stop_mark_delivered, stop_mark_failed
from delivery.tests.driver_world import another_driver
from inventory.selectors import available_by_item
from logistics.models import DeliveryOrder
from logistics.services import order_cancel
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


def test_cancelling_an_order_releases_its_stock_and_needs_a_reason(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=4)
    with pytest.raises(ValidationError) as refused:
        order_cancel(order=order, reason="  ")
    assert refused.value.code == "cancel_reason_missing"
    assert available_by_item(warehouse=warehouse, on=order.due_date) == {item.pk: 6}

    order_cancel(order=order, reason="La familia se ha mudado")

    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.CANCELLED
    assert "La familia se ha mudado" in order.notes
    assert available_by_item(warehouse=warehouse, on=order.due_date) == {item.pk: 10}
    with pytest.raises(ValidationError) as refused:
        order_cancel(order=order, reason="again")
    assert refused.value.code == "not_cancellable"


def test_a_failure_without_a_known_reason_is_refused_and_the_stop_stays_pending(role_users):
    stop = planned_stop(role_users)

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=stop, reason="on_holiday")

    assert refused.value.code == "failure_reason_missing"
    stop.refresh_from_db()
    assert (stop.outcome, stop.failure_reason) == (Stop.Outcome.PENDING, "")


def test_a_stop_already_recorded_is_refused_and_keeps_its_outcome(role_users):
    stop = planned_stop(role_users)
    stop_mark_delivered(actor=role_users["driver"], stop=stop)

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=stop, reason=Stop.FailureReason.NOT_HOME)

    assert refused.value.code == "already_recorded"
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.DELIVERED


def test_only_the_rounds_driver_starts_it(role_users):
    stop = planned_stop(role_users)

    with pytest.raises(ValidationError) as refused:
        round_start(actor=another_driver(role_users), round_=stop.round)

    assert refused.value.code == "not_the_driver"
    stop.order.refresh_from_db()
    assert stop.order.status == DeliveryOrder.Status.PLANNED
