"""The register of complaints, suggestions, claims and thanks about the service, with a due date for the answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.households import Household
from requests_intake.models.requests import AidRequest


class Complaint(models.Model):
    class Source(models.TextChoices):
        PUBLIC_FORM = "public_form", _("Public form")
        STATUS_PAGE = "status_page", _("Status page")
        STAFF = "staff", _("Recorded by staff")

    class Category(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        CLAIM = "claim", _("Claim")
        THANKS = "thanks", _("Thanks")

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    text = models.TextField(_("text"))
    # How to answer someone who wrote from the public form; the household's own contact details otherwise.
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("household"),
    )
    request = models.ForeignKey(
        AidRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("request")
    )
    received_at = models.DateTimeField(_("received at"))
    due_date = models.DateField(_("answer due by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("complaint or suggestion")
        verbose_name_plural = _("complaints and suggestions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True)
                | (models.Q(answered_by__isnull=False) & ~models.Q(answer="")),
                name="complaint_answer_has_text_and_author",
            ),
        ]
