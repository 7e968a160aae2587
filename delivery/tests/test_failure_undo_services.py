"""A failed delivery can be taken back for a few minutes, and the household hears nothing until then (issue 22,
item 8)."""

import pytest
from django.core.exceptions import ValidationError

from delivery.models import Stop
from delivery.services import stop_failure_settle, stop_failure_undo
from inventory.models import Reservation
from logistics.models import DeliveryOrder
from requests_intake.models import Notification

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def _failure_texts() -> int:
    return Notification.objects.filter(event=Notification.Event.DELIVERY_FAILED).count()


def test_a_failure_tells_the_household_nothing_until_the_undo_time_is_over(failed):
    failed["order"].refresh_from_db()

    assert failed["order"].status == S.FAILED
    assert (failed["order"].due_date, failed["order"].priority) == (failed["due"], failed["priority"])
    assert _failure_texts() == 0


def test_the_settling_task_is_queued_for_the_end_of_the_undo_time(failed, monkeypatch):
    from delivery import tasks

    queued = []
    monkeypatch.setattr(tasks.stop_failure_settle_task, "apply_async", lambda *a, **kw: queued.append((a, kw)))

    for callback in failed["callbacks"]:
        callback()

    assert queued == [(((failed["stop"].pk,),), {"countdown": 300})]


def test_once_settled_the_order_has_its_next_day_and_the_household_is_told_once(failed):
    assert stop_failure_settle(stop_id=failed["stop"].pk) is True
    assert stop_failure_settle(stop_id=failed["stop"].pk) is False

    failed["order"].refresh_from_db()
    assert failed["order"].status == S.RESCHEDULED
    assert _failure_texts() == 1


def test_undoing_a_failure_puts_the_stop_back_with_its_stock_and_nothing_is_sent(role_users, failed):
    stop_failure_undo(actor=role_users["driver"], stop=failed["stop"])

    stop, order = failed["stop"], failed["order"]
    stop.refresh_from_db()
    order.refresh_from_db()
    assert (stop.outcome, stop.failure_reason, stop.recorded_at) == (Stop.Outcome.PENDING, "", None)
    assert (order.status, order.failed_attempts, order.due_date) == (S.OUT_FOR_DELIVERY, 0, failed["due"])
    assert Reservation.objects.filter(order=order, status=Reservation.Status.ACTIVE).count() == 1
    assert stop_failure_settle(stop_id=stop.pk) is False
    assert _failure_texts() == 0


def test_a_failure_already_settled_cannot_be_undone_and_nothing_changes(role_users, failed):
    stop_failure_settle(stop_id=failed["stop"].pk)

    with pytest.raises(ValidationError) as refused:
        stop_failure_undo(actor=role_users["driver"], stop=failed["stop"])

    assert refused.value.code == "failure_settled"
    failed["stop"].refresh_from_db()
    failed["order"].refresh_from_db()
    assert (failed["stop"].outcome, failed["order"].status) == (Stop.Outcome.FAILED, S.RESCHEDULED)
