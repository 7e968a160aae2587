"""Outbound webhooks: each event a domain service emits (core.events) is sent to the subscriptions that asked for
it, signed, retried with backoff, and logged.

Signature: `X-Reparto-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`. The
receiver recomputes it and refuses a stale `t`, so a captured delivery cannot be replayed to it later."""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription

EVENTS = (
    "request.received",
    "request.decided",
    "order.scheduled",
    "order.out_for_delivery",
    "order.delivered",
    "order.failed",
    "order.cancelled",
    "stock.alert",
)
MAX_ATTEMPTS = 6
BACKOFF_S = 30  # then 60, 120, 240, 480 s: about a quarter of an hour before giving up
TIMEOUT_S = 10
SIGNATURE_HEADER = "X-Reparto-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhooks_emit(event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Log one delivery per active subscription to `event`, and send each once this transaction commits."""
    from api.tasks import webhook_deliver_task

    deliveries = [
        WebhookDelivery.objects.create(subscription=subscription, event=event, payload=payload)
        for subscription in WebhookSubscription.objects.filter(active=True).order_by("pk")
        if event in subscription.events
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: webhook_deliver_task.delay(pk))
    return deliveries


def _body(delivery: WebhookDelivery) -> bytes:
    envelope = {"id": delivery.pk, "event": delivery.event, "created": delivery.created_at, "data": delivery.payload}
    return json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def webhook_send(delivery_id: int) -> WebhookDelivery:
    """POST the delivery once; on failure plan the next try (doubling the wait) or mark it failed."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return delivery  # a task delivered twice by the broker sends once
    body = _body(delivery)
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL is a manager's subscription, http(s) only (URLField)
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Reparto-Webhooks/1",
            "X-Reparto-Event": delivery.event,
            "X-Reparto-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.subscription.secret, timestamp, body),
        },
    )
    code = None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310
            code = answer.status
    except urllib.error.HTTPError as exc:
        code = exc.code
    except (urllib.error.URLError, OSError):
        code = None
    delivery.attempts += 1
    delivery.response_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_try_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_try_at = None
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_try_at = timezone.now() + dt.timedelta(seconds=retry_wait(delivery.attempts))
    delivery.save(update_fields=["attempts", "response_code", "status", "delivered_at", "next_try_at"])
    return delivery


def retry_wait(attempts: int) -> int:
    """Seconds before try number `attempts + 1`: 30, 60, 120…"""
    return BACKOFF_S * 2 ** (attempts - 1)


@transaction.atomic
def webhook_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a logged delivery again (after the receiver was fixed), as a new try with a fresh signature."""
    from api.tasks import webhook_deliver_task

    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_try_at = None
    delivery.save(update_fields=["status", "next_try_at"])
    transaction.on_commit(lambda: webhook_deliver_task.delay(delivery.pk))
    return delivery
