"""Requests for aid, from whatever channel they came in by, and the messages exchanged about them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from requests_intake.models.households import Household
from requests_intake.models.zones import Zone


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WEB_CHAT = "web_chat", _("Web chat")
    WEB_FORM = "web_form", _("Web form")
    IN_PERSON = "in_person", _("In person")
    REFERRAL = "referral", _("Referral")


class ReferralSource(models.TextChoices):
    MAYORS_OFFICE = "mayor", _("Mayor's office")
    EMERGENCY = "emergency", _("Emergency services")
    SCHOOL = "school", _("School")
    HEALTH_CENTRE = "health", _("Health centre")
    OTHER_AGENCY = "agency", _("Other agency")


class Need(models.TextChoices):
    FOOD = "food", _("Food")
    HYGIENE = "hygiene", _("Hygiene")
    MEDICATION = "medication", _("Medication")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    URGENT = 0, _("Urgent")
    NORMAL = 1, _("Normal")
    LOW = 2, _("Low")


class RejectionCode(models.TextChoices):
    INCOME = "income", _("Income above the threshold")
    RESIDENCE = "residence", _("Not resident in the municipality")
    COVERED = "covered", _("Already covered by another programme")
    DUPLICATE = "duplicate", _("Duplicate request")
    NO_CONTACT = "no_contact", _("Could not be contacted")
    OTHER = "other", _("Other")


class AidRequest(models.Model):
    class Status(models.TextChoices):
        IN_ASSESSMENT = "in_assessment", _("Awaiting assessment")
        MORE_INFO = "more_info", _("Waiting for information")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REFERRED = "referred", _("Referred elsewhere")
        INFO_ONLY = "info_only", _("Answered at intake")

    class Topic(models.TextChoices):
        """What a request answered at intake was about: the first level's own coding, for its figures."""

        PADRON = "padron", _("Municipal register (padrón)")
        BONO_SOCIAL = "bono_social", _("Bono social")
        VULNERABILITY_REPORT = "vulnerability_report", _("Vulnerability report")
        AID_INFORMATION = "aid_information", _("Information on aid")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (Status.IN_ASSESSMENT, Status.MORE_INFO)

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="requests", verbose_name=_("household")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    referral_source = models.CharField(_("referred by"), max_length=10, choices=ReferralSource.choices, blank=True)
    contact = models.CharField(
        _("requester's contact"), max_length=200, blank=True, help_text=_("Phone in E.164 form or e-mail address.")
    )
    preferred_channel = models.CharField(
        _("preferred channel for replies"), max_length=20, choices=Channel.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.REQUESTER_LANGUAGES, blank=True)
    needs = models.JSONField(_("needs"), default=list)
    description = models.TextField(_("description"), blank=True)
    priority = models.PositiveSmallIntegerField(_("urgency"), choices=Priority.choices, default=Priority.NORMAL)
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("zone")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_ASSESSMENT)
    received_at = models.DateTimeField(_("received at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("registered by"),
        help_text=_("Empty when a gateway or the web form created the request."),
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
    rejection_code = models.CharField(_("reason"), max_length=12, choices=RejectionCode.choices, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    information_needed = models.TextField(_("information needed"), blank=True)
    first_level_topic = models.CharField(
        _("topic answered at intake"), max_length=24, choices=Topic.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aid request")
        verbose_name_plural = _("aid requests")
        ordering = ["received_at"]
        permissions = [("decide_aidrequest", _("Can approve or reject aid requests"))]
        indexes = [models.Index(fields=["status", "zone", "priority", "received_at"], name="aidrequest_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="aidrequest_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("new request"))

    @property
    def need_labels(self) -> list[str]:
        return [str(Need(code).label) for code in self.needs]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class KeywordAction(models.TextChoices):
    """What a one-word reply through a gateway did by itself."""

    CONFIRMED = "confirmed", _("Confirmed the next delivery")
    MOVED = "moved", _("Moved the next delivery")
    MOVE_ASKED = "move_asked", _("Asked for another day (intake calls)")
    OPTED_OUT = "opted_out", _("Opted out of messages")
    OPTED_IN = "opted_in", _("Opted in to messages again")


class RequestMessage(models.Model):
    """One message about a request: what the requester wrote through a gateway, or a note from intake."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the requester")
        OUTBOUND = "out", _("To the requester")

    request = models.ForeignKey(
        AidRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    sender = models.CharField(_("sender"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    # The gateway's own id for the message: a retried webhook call is recognised and not stored twice.
    external_id = models.CharField(_("gateway message id"), max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    # The conversation (requests_intake.conversations): who on the staff wrote a reply, the stored message that
    # carried it to the requester, when someone first read an inbound message, and what a keyword reply did.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("written by"),
    )
    notification = models.OneToOneField(
        "requests_intake.Notification",
        on_delete=models.SET_NULL,
        related_name="reply",
        null=True,
        blank=True,
        verbose_name=_("sent as"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    action = models.CharField(_("keyword's effect"), max_length=12, choices=KeywordAction.choices, blank=True)

    class Meta:
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        ordering = ["created_at", "pk"]
        # The gateway webhook's own permission: intake operators add messages on the pages, and their personal
        # tokens must not pass for a gateway's.
        permissions = [("post_gateway_messages", _("Can post messages as a gateway"))]
