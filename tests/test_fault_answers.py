"""What callers get when a service below fails: gateways are told to retry, stuck messages are sent after all."""

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from core.api import exception_handler
from requests_intake.models import Notification
from requests_intake.notifications import notification_compose, notifications_resume
from tests.scenarios import approved_plan


def test_the_api_tells_a_caller_to_retry_when_the_database_is_unreachable():
    response = exception_handler(OperationalError("server closed the connection unexpectedly"), {})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again" in response.data["detail"]


def test_a_data_error_is_not_dressed_up_as_a_retry():
    assert exception_handler(IntegrityError("duplicate key"), {}) is None  # DRF leaves it to the 500 handler


@pytest.mark.django_db
def test_messages_stored_while_the_broker_was_down_are_sent_by_the_resume_job(role_users):
    request = approved_plan(role_users).request
    Notification.objects.all().delete()

    def stored(minutes_ago: int, **fields) -> Notification:
        body = notification_compose(request=request, event="approved", channel="sms", language="en")
        message = Notification.objects.create(request=request, event="approved", channel="sms", body=body, **fields)
        Notification.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
        return message

    stuck = stored(10)
    just_now = stored(1)
    being_retried = stored(10, attempts=2)
    failed = stored(10, status=Notification.Status.FAILED, attempts=9)

    assert notifications_resume() == 1
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses[stuck.pk] == Notification.Status.SENT
    assert statuses[just_now.pk] == statuses[being_retried.pk] == Notification.Status.PENDING
    assert statuses[failed.pk] == Notification.Status.FAILED
