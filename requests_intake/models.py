import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Zone(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    postcodes = models.TextField(_("postcodes"), blank=True, help_text=_("Comma-separated postcodes in this zone."))

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def postcode_list(self) -> list[str]:
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]


def fold(text: str) -> str:
    """Lower case without accents, so "garcia" finds "García" on every database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    NIE = "nie", _("NIE")
    RUT = "rut", _("RUT (Chile)")
    PASSPORT = "passport", _("Passport")
    NONE = "none", _("No document")


class Household(models.Model):
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=150)
    document_type = models.CharField(_("document type"), max_length=10, choices=DocumentType.choices)
    document_number = models.CharField(_("document number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Stored in E.164 form."))
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("zone"))
    access_notes = models.CharField(_("access notes for the driver"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                condition=~models.Q(document_number=""),
                name="household_unique_document",
            ),
            models.CheckConstraint(condition=models.Q(members__gte=1), name="household_members_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        parts = [
            self.given_name,
            self.family_name,
            self.document_number,
            self.phone,
            self.address,
            self.postcode,
        ]
        self.search_text = fold(" ".join(parts))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WEB_CHAT = "web_chat", _("Web chat")
    WEB_FORM = "web_form", _("Web form")
    IN_PERSON = "in_person", _("In person")
    REFERRAL = "referral", _("Referral")


class Need(models.TextChoices):
    FOOD = "food", _("Food")
    HYGIENE = "hygiene", _("Hygiene")
    MEDICATION = "medication", _("Medication")
    OTHER = "other", _("Other")


class AidRequest(models.Model):
    class Status(models.TextChoices):
        IN_ASSESSMENT = "in_assessment", _("Awaiting assessment")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="requests", verbose_name=_("household")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    needs = models.JSONField(_("needs"), default=list)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_ASSESSMENT)
    received_at = models.DateTimeField(_("received at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aid request")
        verbose_name_plural = _("aid requests")
        ordering = ["received_at"]
        permissions = [("decide_aidrequest", _("Can approve or reject aid requests"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="aidrequest_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("new request")

    @property
    def need_labels(self) -> list[str]:
        return [str(Need(code).label) for code in self.needs]


class Priority(models.IntegerChoices):
    URGENT = 0, _("Urgent")
    NORMAL = 1, _("Normal")
    LOW = 2, _("Low")


class AidPlan(models.Model):
    request = models.OneToOneField(AidRequest, on_delete=models.PROTECT, related_name="plan", verbose_name=_("request"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    first_delivery_on = models.DateField(_("first delivery on"))
    # Recurring aid (a weekly food pack): the next orders are made from the plan as their dates come near.
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), null=True, blank=True, help_text=_("Empty for a one-off delivery.")
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    notes = models.TextField(_("notes for the delivery"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("aid plan")
        verbose_name_plural = _("aid plans")

    def __str__(self) -> str:
        return f"{self.request}"


class AidPlanLine(models.Model):
    plan = models.ForeignKey(AidPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    pack = models.ForeignKey("inventory.Pack", on_delete=models.PROTECT, verbose_name=_("pack"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("aid plan line")
        verbose_name_plural = _("aid plan lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="aidplanline_quantity_positive"),
            models.UniqueConstraint(fields=["plan", "pack"], name="aidplanline_unique_pack"),
        ]


class Notification(models.Model):
    """One message the requester should receive about their request."""

    class Event(models.TextChoices):
        RECEIVED = "received", _("Request received")
        APPROVED = "approved", _("Request approved")
        REJECTED = "rejected", _("Request rejected")
        SCHEDULED = "scheduled", _("Delivery scheduled")
        DELIVERED = "delivered", _("Delivered")
        DELIVERY_FAILED = "delivery_failed", _("Delivery failed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey(
        AidRequest, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("request")
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="es")
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_event_display()}"
