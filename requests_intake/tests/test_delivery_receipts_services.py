"""Providers' delivery receipts, the service: recorded on the message they sent, never going backwards."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_intake.conversations import notification_receipt_record
from requests_intake.models import AidRequest, Notification
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    request = AidRequest.objects.create(household=HouseholdFactory(), channel="sms", received_at=timezone.now())
    return Notification.objects.create(
        request=request,
        event="reply",
        channel="sms",
        recipient="+34611222333",
        body="Hola",
        status="sent",
        provider_id="SM-1",
    )


def test_a_receipt_is_recorded_on_the_message_the_provider_sent(sent):
    notification_receipt_record(provider_id="SM-1", receipt="delivered")

    sent.refresh_from_db()
    assert sent.receipt == Notification.Receipt.DELIVERED
    assert sent.receipt_at is not None


def test_read_after_delivered_is_kept_and_a_late_delivered_does_not_undo_it(sent):
    notification_receipt_record(provider_id="SM-1", receipt="delivered")
    notification_receipt_record(provider_id="SM-1", receipt="read")
    sent.refresh_from_db()
    read_at = sent.receipt_at

    notification_receipt_record(provider_id="SM-1", receipt="delivered")

    sent.refresh_from_db()
    assert (sent.receipt, sent.receipt_at) == (Notification.Receipt.READ, read_at)


@pytest.mark.parametrize(
    ("provider_id", "receipt", "field", "code"),
    [
        ("SM-9", "delivered", "provider_id", "receipt_unknown_message"),
        ("", "delivered", "provider_id", "receipt_unknown_message"),
        ("SM-1", "lost", "status", "receipt_invalid"),
    ],
)
def test_a_receipt_for_no_message_or_of_no_kind_is_refused_and_changes_nothing(sent, provider_id, receipt, field, code):
    with pytest.raises(ValidationError) as excinfo:
        notification_receipt_record(provider_id=provider_id, receipt=receipt)

    assert excinfo.value.error_dict[field][0].code == code
    sent.refresh_from_db()
    assert (sent.receipt, sent.receipt_at) == ("", None)
