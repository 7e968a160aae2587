"""Outbound webhooks, against a receiver on 127.0.0.1: signed, logged, retried with backoff, replayed."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from api.webhooks import webhook_replay
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-tests"


class Receiver:
    """A tiny HTTP server that answers `status` and keeps what it was sent."""

    def __init__(self):
        self.status = 200
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def verify(headers: dict, body: bytes) -> bool:
    """What a receiver does: recompute the HMAC over "<t>.<body>" and compare in constant time."""
    parts = dict(part.split("=", 1) for part in headers["X-Reparto-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def register(role_users):
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )


def test_a_new_request_is_posted_signed_to_the_subscribers_of_its_event(
    role_users, receiver, django_capture_on_commit_callbacks
):
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET)
    WebhookSubscription.objects.create(url=receiver.url, events=["order.delivered"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        request = register(role_users)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify(headers, body)
    assert headers["X-Reparto-Event"] == "request.received"
    sent = json.loads(body)
    assert sent["event"] == "request.received"
    assert sent["data"] == {"request": request.pk, "reference": request.reference, "status": "in_assessment"}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_a_tampered_body_fails_the_signature(role_users, receiver, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        register(role_users)
    headers, body = receiver.received[0]
    assert not verify(headers, body.replace(b"in_assessment", b"approved"))


def test_a_rolled_back_change_announces_nothing(role_users, receiver, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(role_users)
    # The event waits for the commit: nothing was logged or sent while the transaction was open.
    assert len(callbacks) >= 1
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_a_failing_receiver_is_tried_again_later_with_a_doubling_wait(
    role_users, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        register(role_users)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    wait = delivery.next_try_at - before
    assert dt.timedelta(seconds=30) <= wait < dt.timedelta(seconds=40)


def test_a_failed_delivery_replayed_after_the_receiver_is_fixed_is_delivered_with_a_fresh_signature(
    role_users, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 503
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        register(role_users)
    receiver.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        webhook_replay(delivery=WebhookDelivery.objects.get())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 204)
    assert len(receiver.received) == 2
    assert verify(*receiver.received[1])


def test_an_unreachable_receiver_is_logged_without_a_response_code(role_users, django_capture_on_commit_callbacks):
    with Receiver() as closed:
        url = closed.url
    WebhookSubscription.objects.create(url=url, events=["request.received"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        register(role_users)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, None)


def test_an_inactive_subscription_is_sent_nothing(role_users, receiver, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(url=receiver.url, events=["request.received"], secret=SECRET, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        register(role_users)
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_an_order_cancelled_and_a_request_decided_are_announced_with_their_ids(
    role_users, receiver, django_capture_on_commit_callbacks
):
    from logistics.services import order_cancel
    from tests.scenarios import approved_order

    WebhookSubscription.objects.create(url=receiver.url, events=["request.decided", "order.cancelled"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        order, _item, _warehouse = approved_order(role_users)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, reason="The family moved away")
    sent = [json.loads(body) for _headers, body in receiver.received]
    assert [(event["event"], event["data"]) for event in sent] == [
        (
            "request.decided",
            {"request": order.plan.request_id, "reference": order.plan.request.reference, "status": "approved"},
        ),
        ("order.cancelled", {"order": order.pk, "status": "cancelled"}),
    ]
    assert all(verify(*each) for each in receiver.received)


def test_a_new_stock_alert_is_announced_once(role_users, receiver, django_capture_on_commit_callbacks):
    from core.tests.factories import tomorrow
    from inventory.alerts import alerts_refresh
    from inventory.ledger import lot_receive
    from inventory.tests.factories import ItemFactory, WarehouseFactory

    warehouse, item = WarehouseFactory(), ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code="YOG-1",
        quantity=5,
        expiry_date=tomorrow(),
    )
    WebhookSubscription.objects.create(url=receiver.url, events=["stock.alert"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        alerts_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        alerts_refresh()  # the same problem again: the alert is updated, not announced anew
    sent = [json.loads(body) for _headers, body in receiver.received]
    assert [(event["event"], event["data"]) for event in sent] == [
        (
            "stock.alert",
            {"kind": "near_expiry", "item": item.pk, "warehouse": warehouse.pk, "on": tomorrow().isoformat()},
        )
    ]
