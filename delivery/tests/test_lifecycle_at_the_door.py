"""The order lifecycle on the delivery day: a round leaves, a stop is delivered or fails, and a failed order comes
back the next day (the table itself: logistics/tests/test_lifecycle.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.services import stop_mark_delivered, stop_mark_failed
from logistics.models import DeliveryOrder
from logistics.services import order_cancel, orders_reserve_due
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def test_the_driver_starts_the_round_then_delivers(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    assert "start the round" in client.get(reverse("driver_round")).content.decode()
    client.post(reverse("round_started", args=[stop.round.pk]))
    stop.order.refresh_from_db()
    assert stop.order.status == S.OUT_FOR_DELIVERY
    told = stop.order.plan.request.notifications.get(event="on_the_way")
    assert timezone.localtime(stop.arrival_at).strftime("%H:%M") in told.body
    assert "start the round" not in client.get(reverse("driver_round")).content.decode()
    with pytest.raises(ValidationError) as refused:
        order_cancel(order=stop.order, reason="too late: it is on the van")
    assert refused.value.code == "not_cancellable"

    stop_mark_delivered(actor=role_users["driver"], stop=stop)
    stop.order.refresh_from_db()
    assert stop.order.status == S.DELIVERED


def test_another_driver_cannot_start_someone_elses_round(client, role_users):
    from core.tests.factories import UserFactory

    stop = planned_stop(role_users)
    other = UserFactory(username="otro")
    other.groups.set(role_users["driver"].groups.all())
    client.force_login(other)

    assert client.post(reverse("round_started", args=[stop.round.pk])).status_code == 404
    stop.order.refresh_from_db()
    assert stop.order.status == S.PLANNED


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
