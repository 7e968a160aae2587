"""Messages to the requester about their request, stored before they are sent so none is lost."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.requests import AidRequest, Channel


class Notification(models.Model):
    """One message the requester should receive about their request."""

    class Event(models.TextChoices):
        RECEIVED = "received", _("Request received")
        MORE_INFO = "more_info", _("More information needed")
        APPROVED = "approved", _("Request approved")
        REJECTED = "rejected", _("Request rejected")
        REFERRED = "referred", _("Request referred")
        SCHEDULED = "scheduled", _("Delivery scheduled")
        ON_THE_WAY = "on_the_way", _("Delivery on the way")
        DELIVERED = "delivered", _("Delivered")
        DELIVERY_FAILED = "delivery_failed", _("Delivery failed")
        SURVEY = "survey", _("Satisfaction survey")
        RESCHEDULED = "rescheduled", _("Delivery rescheduled")
        CANCELLED = "cancelled", _("Delivery cancelled")
        REPLY = "reply", _("Reply from staff")
        CONFIRMED = "confirmed", _("Delivery confirmed")
        MOVE_ASKED = "move_asked", _("Another day asked")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Never sent: the address answered BAJA/STOP (requests_intake.conversations); no sender may send it.
        OPTED_OUT = "opted_out", _("Not sent: opted out")

    class Receipt(models.TextChoices):
        """What the provider last reported about a sent message (its delivery receipt)."""

        DELIVERED = "delivered", _("Delivered to the phone")
        READ = "read", _("Read")
        UNDELIVERED = "undelivered", _("Not delivered")

    request = models.ForeignKey(
        AidRequest, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("request")
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="es")
    # The requester's language when it had no text for this message and the message went out in Spanish instead,
    # so staff see on the household's record who may not have understood it.
    fallback_from = models.CharField(_("requester's language, not available"), max_length=5, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    receipt = models.CharField(_("delivery receipt"), max_length=12, choices=Receipt.choices, blank=True)
    receipt_at = models.DateTimeField(_("receipt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_event_display()}"
