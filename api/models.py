"""What the API keeps: integration tokens, the answers to idempotent POSTs, and outbound webhooks with their log."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A token for one integration (the telephony platform, the BI tool), limited to a scope.

    Only a hash of the key is stored: the key is shown once, when it is made, and cannot be read back."""

    class Scope(models.TextChoices):
        READ_ONLY = "read_only", _("Read only")
        INTAKE_ONLY = "intake_only", _("Intake only (create households and requests)")
        WEBHOOK_ONLY = "webhook_only", _("Gateway webhook only")

    name = models.CharField(_("name"), max_length=80, unique=True)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    # The token acts as this user: it never reaches more than the user's role does, and less when its scope says so.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, given again when the same caller repeats it."""

    key = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method_path = models.CharField(max_length=300)
    # A hash of the request body: the same key with another body is a caller's mistake, answered 422.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_response_unique_key")]


class WebhookSubscription(models.Model):
    """An outside system told of events by a signed POST to its URL."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, help_text=_("The events to send; empty sends none."))
    secret = models.CharField(_("signing secret"), max_length=128)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription: the log and the retry state."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event = models.CharField(_("event"), max_length=60)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="webhook_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"
