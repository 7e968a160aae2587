"""The order lifecycle after a failed visit: the order comes back the next day, and the social worker hears of
repeated failures (the table itself: logistics/tests/test_lifecycle.py)."""

import datetime as dt

import pytest

from delivery.services import stop_mark_failed
from logistics.models import DeliveryOrder
from logistics.services import orders_reserve_due
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def test_a_failed_visit_leaves_the_order_rescheduled_and_the_next_day_reserves_it_again(role_users):
    stop = planned_stop(role_users)

    stop_mark_failed(actor=role_users["driver"], stop=stop, reason="not_home")
    stop.order.refresh_from_db()
    assert stop.order.status == S.RESCHEDULED

    assert orders_reserve_due(date=stop.order.due_date) == (1, 0)
    stop.order.refresh_from_db()
    assert (stop.order.status, stop.order.due_date) == (S.RESERVED, stop.round.date + dt.timedelta(days=1))


def test_the_social_worker_hears_after_the_second_failed_visit(
    role_users, mailoutbox, django_capture_on_commit_callbacks
):
    from delivery.models import Round
    from requests_intake.tests.factories import ZoneFactory

    stop = planned_stop(role_users)
    request = stop.order.plan.request
    request.zone = ZoneFactory()
    request.save()
    worker = role_users["social_worker"]
    worker.email = "marta@example.org"
    worker.save()
    request.zone.social_workers.add(worker)

    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_failed(actor=role_users["driver"], stop=stop, reason="not_home")
    assert mailoutbox == []

    # The next day's visit fails too.
    stop.order.refresh_from_db()
    second = Round.objects.get(pk=stop.round.pk)
    stop.refresh_from_db()
    DeliveryOrder.objects.filter(pk=stop.order.pk).update(status=S.PLANNED)
    stop.outcome = "pending"
    stop.failure_reason = ""
    stop.save()
    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_failed(actor=role_users["driver"], stop=stop, reason="no_access")

    [mail] = mailoutbox
    assert mail.to == ["marta@example.org"]
    assert request.reference in mail.subject
    assert second.date.strftime("%d/%m/%Y") in mail.body
