"""Telling the requester what happened. Messages are stored first, then sent by a backend in a task."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from requests_intake.models import AidRequest, Notification

logger = logging.getLogger(__name__)


class LoggingBackend:
    """The default channel: the stored message is the record, and the log line shows it was sent."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "notification %s to %s via %s: %s",
            notification.pk,
            notification.recipient or "-",
            notification.channel,
            notification.body,
        )


def _body(event: str, request: AidRequest, context: dict) -> str:
    texts = {
        Notification.Event.RECEIVED: _("We have received your request %(reference)s. A social worker will review it."),
        Notification.Event.APPROVED: _(
            "Your request %(reference)s has been approved. We will tell you the delivery day."
        ),
        Notification.Event.REJECTED: _("Your request %(reference)s could not be approved: %(reason)s"),
        Notification.Event.SCHEDULED: _("Your delivery for %(reference)s will arrive on %(date)s around %(time)s."),
        Notification.Event.DELIVERED: _("Your delivery for %(reference)s has been handed over. Thank you."),
        Notification.Event.DELIVERY_FAILED: _(
            "We could not deliver %(reference)s today. We will try again on %(date)s."
        ),
    }
    return texts[event] % {"reference": request.reference, **context}


def notification_create(*, request: AidRequest, event: str, **context) -> Notification:
    """Store the message in the requester's language and send it once the transaction commits."""
    household = request.household
    with translation.override(household.language):
        body = _body(event, request, context)
    notification = Notification.objects.create(
        request=request,
        event=event,
        channel=request.channel,
        recipient=household.phone,
        language=household.language,
        body=body,
    )
    from requests_intake.tasks import notification_send

    transaction.on_commit(lambda: notification_send.delay(notification.pk), robust=True)
    return notification


def notification_deliver(*, notification_id: int) -> Notification:
    """Send a stored message through the configured backend; sending twice is a no-op."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return notification
        import_string(settings.NOTIFICATION_BACKEND)().send(notification)
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "sent_at"])
    return notification
