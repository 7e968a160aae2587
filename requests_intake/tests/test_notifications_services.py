"""Telling the requester: texts per event, channel and language; the HTTP provider against a local fake server;
retries with backoff, FAILED after the last one or at once on a refusal, and resending failed messages.

Here the services, models and commands, called directly; the pages are tested in test_notifications_pages.py."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.exceptions import Retry
from django.core import mail

from requests_intake.models import Channel, Notification
from requests_intake.notifications import (
    ChannelBackend,
    email_parts,
    notification_address,
    notification_create,
    notification_deliver,
    notifications_resend,
)
from requests_intake.providers import HttpProvider, ProviderError, ProviderRejected
from requests_intake.tasks import notification_send
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.notifications import _pending, _request

CHANNEL_BACKEND = "requests_intake.notifications.ChannelBackend"


def _text(body: str) -> str:
    """The message without its last paragraph: the status page link every message ends with
    (delivery/tests/test_status_page.py tests the link)."""
    text, _blank, link_line = body.rpartition("\n\n")
    assert "/estado/" in link_line, body
    return text


class _FakeProvider(BaseHTTPRequestHandler):
    """Records each POST; answers with the next scripted (status, body, delay), or 200 with an id."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.received.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "json": json.loads(self.rfile.read(length)),
            }
        )
        status, body, delay = (
            self.server.answers.pop(0) if self.server.answers else (200, {"id": f"m-{len(self.server.received)}"}, 0)
        )
        time.sleep(delay)
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up waiting
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeProvider)
    server.received = []
    server.answers = []
    server.url = f"http://127.0.0.1:{server.server_port}/messages"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def channels(settings, provider_server):
    """ChannelBackend with SMS and WhatsApp pointed at the fake provider."""
    settings.NOTIFICATION_BACKEND = CHANNEL_BACKEND
    settings.SMS_PROVIDER_URL = provider_server.url
    settings.SMS_PROVIDER_TOKEN = "sms-secret"
    settings.WHATSAPP_PROVIDER_URL = provider_server.url
    settings.WHATSAPP_PROVIDER_TOKEN = "wa-secret"
    settings.NOTIFICATION_MAX_RETRIES = 5
    return provider_server


@pytest.fixture
def worker():
    """Tasks as a Celery worker runs them: a retry is delivered again later, not given up at once."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def _run_as_worker(notification_id: int, *, deliveries: int) -> int:
    """Run the task as the worker would, each Retry being its next delivery; return how many runs it took."""
    for retries in range(deliveries):
        try:
            notification_send.apply(args=[notification_id], retries=retries, throw=True)
        except Retry:
            continue
        return retries + 1
    return deliveries


# --- The HTTP provider against a local fake server ---


def test_the_http_provider_posts_json_with_a_bearer_token_and_returns_the_message_id(provider_server):
    provider = HttpProvider(provider_server.url, "secret-token")

    provider_id = provider.send(to="+34600111222", body="Hola", channel="sms")

    assert provider_id == "m-1"
    assert provider_server.received == [
        {
            "path": "/messages",
            "authorization": "Bearer secret-token",
            "content_type": "application/json",
            "json": {"to": "+34600111222", "body": "Hola", "channel": "sms"},
        }
    ]


def test_an_answer_without_an_id_is_still_accepted(provider_server):
    provider_server.answers.append((202, ["queued"], 0))

    assert HttpProvider(provider_server.url, "t").send(to="+34600111222", body="Hola", channel="sms") == ""


def test_a_server_error_is_temporary(provider_server):
    provider_server.answers.append((500, {"error": "database down"}, 0))

    with pytest.raises(ProviderError, match="500.*database down"):
        HttpProvider(provider_server.url, "t").send(to="+34600111222", body="Hola", channel="sms")


def test_too_many_requests_is_temporary(provider_server):
    provider_server.answers.append((429, {"error": "slow down"}, 0))

    with pytest.raises(ProviderError, match="429"):
        HttpProvider(provider_server.url, "t").send(to="+34600111222", body="Hola", channel="sms")


def test_a_client_error_is_permanent(provider_server):
    provider_server.answers.append((400, {"error": "invalid number"}, 0))

    with pytest.raises(ProviderRejected, match="400.*invalid number"):
        HttpProvider(provider_server.url, "t").send(to="+34600111222", body="Hola", channel="sms")


def test_a_provider_that_does_not_answer_in_time_is_temporary(provider_server):
    provider_server.answers.append((200, {"id": "late"}, 1.0))

    with pytest.raises(ProviderError, match="could not be reached"):
        HttpProvider(provider_server.url, "t", timeout=0.2).send(to="+34600111222", body="Hola", channel="sms")


def test_a_provider_that_is_not_listening_is_temporary():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port is closed again: connecting is refused.

    with pytest.raises(ProviderError, match="could not be reached"):
        HttpProvider(f"http://127.0.0.1:{port}/", "t").send(to="+34600111222", body="Hola", channel="sms")


def test_a_provider_url_without_a_scheme_is_refused():
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpProvider("sms.example.org/send", "t")


# --- Texts per event, channel and language ---


@pytest.mark.django_db
def test_the_received_message_is_in_the_requesters_language():
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222", language="es")

    notification = request.notifications.get()

    assert notification.language == "es"
    assert (
        _text(notification.body)
        == f"Hemos recibido su solicitud {request.reference}. La revisará el equipo de trabajo social."
    )


@pytest.mark.django_db
def test_without_a_language_on_the_request_the_households_language_is_used():
    household = HouseholdFactory(language="en")
    request = _request(household=household, channel=Channel.WHATSAPP, contact="+34600111222")

    notification = notification_create(request=request, event=Notification.Event.DELIVERED)

    assert notification.language == "en"
    assert _text(notification.body) == f"Your delivery for {request.reference} has been handed over. Thank you."


@pytest.mark.django_db
def test_a_spanish_scheduled_message_carries_the_date_and_window():
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222", language="es")

    notification = _pending(request, Notification.Event.SCHEDULED, date="12/05/2026", start="10:00", end="11:00")

    assert _text(notification.body) == (
        f"La entrega de su solicitud {request.reference} llegará el 12/05/2026 entre las 10:00 y las 11:00. "
        "Responda SÍ para confirmar o NO para cambiar el día."
    )


@pytest.mark.django_db
def test_sms_uses_the_short_variant_and_whatsapp_the_full_text():
    by_sms = _request(channel=Channel.SMS, contact="+34600111222", language="en")
    by_whatsapp = _request(channel=Channel.WHATSAPP, contact="+34600111333", language="en")

    sms = _pending(by_sms, Notification.Event.APPROVED)
    whatsapp = _pending(by_whatsapp, Notification.Event.APPROVED)

    assert _text(sms.body) == f"Request {by_sms.reference} approved. We will tell you the delivery day."
    assert (
        _text(whatsapp.body)
        == f"Your request {by_whatsapp.reference} has been approved. We will tell you the delivery day."
    )


@pytest.mark.django_db
def test_an_email_starts_with_its_subject_line():
    request = _request(channel=Channel.EMAIL, contact="ana@example.org", language="en")

    notification = _pending(request, Notification.Event.APPROVED)

    subject, body = email_parts(notification.body)
    assert (notification.channel, notification.recipient) == (Channel.EMAIL, "ana@example.org")
    assert subject == f"Request {request.reference} approved"
    assert _text(body) == f"Your request {request.reference} has been approved. We will tell you the delivery day."


@pytest.mark.django_db
def test_a_rejection_reason_is_written_as_is_not_html_escaped():
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222", language="en")

    notification = _pending(request, Notification.Event.REJECTED, reason="income > threshold & savings")

    assert (
        _text(notification.body)
        == f"Your request {request.reference} could not be approved: income > threshold & savings"
    )


@pytest.mark.django_db
def test_asking_for_more_information_says_what_is_needed():
    request = _request(
        channel=Channel.WHATSAPP, contact="+34600111222", language="en", information_needed="Your last payslip."
    )

    notification = _pending(request, Notification.Event.MORE_INFO)

    assert _text(notification.body) == (
        f"To assess your request {request.reference} we need more information. "
        "Please answer this message or call us.\nYour last payslip."
    )


@pytest.mark.django_db
def test_a_referral_names_the_service_it_went_to():
    request = _request(
        channel=Channel.WHATSAPP, contact="+34600111222", language="en", referred_to="Cruz Roja Cartagena"
    )

    notification = _pending(request, Notification.Event.REFERRED)

    assert _text(notification.body) == (
        f"We have passed your request {request.reference} to Cruz Roja Cartagena, who can help you better. "
        "They will contact you."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("event", Notification.Event.values)
def test_every_event_has_a_text_for_every_channel(event):
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222", language="en")
    for channel in (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL):
        request.preferred_channel = channel
        request.contact = "ana@example.org" if channel == Channel.EMAIL else "+34600111222"

        notification = _pending(request, event, reason="r", date="01/01/2027", time="10:00")

        assert request.reference in notification.body
        assert "{" not in notification.body


# --- Where a message goes ---


@pytest.mark.django_db
def test_a_message_goes_to_the_preferred_channel_and_contact():
    request = _request(channel=Channel.WHATSAPP, contact="ana@example.org", preferred_channel=Channel.EMAIL)

    assert notification_address(request) == (Channel.EMAIL, "ana@example.org")


@pytest.mark.django_db
def test_without_a_preference_a_message_goes_back_the_way_the_request_came():
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222")

    assert notification_address(request) == (Channel.WHATSAPP, "+34600111222")


@pytest.mark.django_db
def test_a_request_by_phone_call_is_answered_by_sms_to_the_households_phone():
    request = _request(household=HouseholdFactory(phone="+34968999000"), channel=Channel.PHONE)

    assert notification_address(request) == (Channel.SMS, "+34968999000")


@pytest.mark.django_db
def test_an_email_preference_without_any_address_falls_back_to_the_phone():
    request = _request(household=HouseholdFactory(phone="+34968999000", email=""), preferred_channel=Channel.EMAIL)

    assert notification_address(request) == (Channel.SMS, "+34968999000")


# --- Sending: backends, retries, failures ---


@pytest.mark.django_db
def test_creating_a_message_sends_it_once_the_transaction_commits(channels, django_capture_on_commit_callbacks):
    request = _request(channel=Channel.WHATSAPP, contact="+34600111222", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notification = _pending(request, Notification.Event.APPROVED)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_id) == ("sent", 1, "m-1")
    assert notification.sent_at is not None
    assert channels.received[0]["json"] == {"to": "+34600111222", "body": notification.body, "channel": "whatsapp"}
    assert channels.received[0]["authorization"] == "Bearer wa-secret"


@pytest.mark.django_db
def test_an_email_is_sent_through_django_mail_with_its_subject(channels):
    request = _request(channel=Channel.EMAIL, contact="ana@example.org", language="en")
    notification = _pending(request, Notification.Event.APPROVED)

    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    [sent] = mail.outbox
    assert sent.to == ["ana@example.org"]
    assert sent.subject == f"Request {request.reference} approved"
    assert _text(sent.body) == f"Your request {request.reference} has been approved. We will tell you the delivery day."
    assert (notification.status, notification.provider_id) == ("sent", sent.extra_headers["Message-ID"])
    assert channels.received == []


@pytest.mark.django_db
def test_a_provider_that_fails_is_tried_again_until_it_answers(channels, worker):
    channels.answers.extend([(500, {"error": "down"}, 0), (503, {"error": "busy"}, 0)])
    request = _request(channel=Channel.SMS, contact="+34600111222", language="en")
    notification = _pending(request)

    assert _run_as_worker(notification.pk, deliveries=6) == 3

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_id) == ("sent", 3, "m-3")
    assert "503" in notification.last_error
    assert [call["authorization"] for call in channels.received] == ["Bearer sms-secret"] * 3


@pytest.mark.django_db
def test_a_message_is_failed_after_the_last_retry_and_kept(channels, settings, worker):
    settings.NOTIFICATION_MAX_RETRIES = 2
    channels.answers.extend([(500, {"error": "down"}, 0)] * 5)
    request = _request(channel=Channel.SMS, contact="+34600111222", language="en")
    notification = _pending(request)

    assert _run_as_worker(notification.pk, deliveries=6) == 3

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == ("failed", 3, None)
    assert notification.last_error == 'sms provider answered 500: {"error": "down"}'
    assert len(channels.received) == 3


@pytest.mark.django_db
def test_a_refused_message_fails_at_once_without_retrying(channels, worker):
    channels.answers.append((400, {"error": "not a mobile number"}, 0))
    request = _request(channel=Channel.SMS, contact="+34968123456", language="en")
    notification = _pending(request)

    assert _run_as_worker(notification.pk, deliveries=6) == 1

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert "not a mobile number" in notification.last_error
    assert len(channels.received) == 1


@pytest.mark.django_db
def test_without_a_worker_the_first_failure_is_final_and_waits_for_a_person(channels):
    channels.answers.append((500, {"error": "down"}, 0))
    notification = _pending(_request(channel=Channel.SMS, contact="+34600111222"))

    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert len(channels.received) == 1


@pytest.mark.django_db
def test_retries_wait_twice_as_long_each_time(channels, settings, monkeypatch, worker):
    settings.NOTIFICATION_RETRY_BACKOFF_S = 60
    channels.answers.append((500, {}, 0))
    request = _request(channel=Channel.SMS, contact="+34600111222", language="en")
    notification = _pending(request)
    waits = []

    class Stop(Exception):
        pass

    def retry(**kwargs):
        waits.append((kwargs["countdown"], kwargs["max_retries"]))
        return Stop()

    monkeypatch.setattr(notification_send, "retry", retry)

    with pytest.raises(Stop):
        notification_send.apply(args=[notification.pk], retries=3, throw=True)

    assert waits == [(480, 5)]


@pytest.mark.django_db
def test_without_a_configured_provider_the_message_fails_with_the_reason(settings):
    settings.NOTIFICATION_BACKEND = CHANNEL_BACKEND
    settings.SMS_PROVIDER_URL = ""
    notification = _pending(_request(channel=Channel.SMS, contact="+34600111222"))

    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (
        "failed",
        "no sms provider is configured: set SMS_PROVIDER_URL",
    )


@pytest.mark.django_db
def test_a_requester_without_phone_or_email_gets_a_failed_message_saying_so(channels):
    request = _request(household=HouseholdFactory(phone="", email=""), channel=Channel.PHONE)
    notification = _pending(request)

    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert (notification.recipient, notification.status) == ("", "failed")
    assert notification.last_error == "the requester has no phone or e-mail to send this to"
    assert channels.received == []


@pytest.mark.django_db
def test_delivering_a_sent_message_again_sends_nothing(channels):
    notification = _pending(_request(channel=Channel.SMS, contact="+34600111222"))
    notification_deliver(notification_id=notification.pk)

    again = notification_deliver(notification_id=notification.pk)

    assert (again.status, again.attempts) == ("sent", 1)
    assert len(channels.received) == 1


@pytest.mark.django_db
def test_the_default_backend_marks_messages_sent_without_a_provider():
    notification = _pending(_request(channel=Channel.SMS, contact="+34600111222"))

    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_id) == ("sent", 1, "")


@pytest.mark.django_db
def test_resending_puts_only_failed_messages_back_and_sends_them(channels, django_capture_on_commit_callbacks):
    channels.answers.append((400, {"error": "number blocked"}, 0))
    request = _request(channel=Channel.SMS, contact="+34600111222", language="en")
    failed = _pending(request)
    notification_send.apply(args=[failed.pk])
    sent = _pending(request, Notification.Event.SCHEDULED, date="01/01/2027", start="10:00", end="11:00")
    notification_send.apply(args=[sent.pk])

    with django_capture_on_commit_callbacks(execute=True):
        count = notifications_resend(notifications=Notification.objects.filter(pk__in=[failed.pk, sent.pk]))

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert count == 1
    assert (failed.status, failed.attempts) == ("sent", 2)
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert len(channels.received) == 3


def test_channel_backend_refuses_a_channel_that_cannot_carry_messages():
    notification = Notification(channel=Channel.IN_PERSON, recipient="+34600111222", body="x")

    with pytest.raises(ProviderRejected, match="no way to send messages by in_person"):
        ChannelBackend().send(notification)
