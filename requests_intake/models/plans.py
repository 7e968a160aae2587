"""What was decided: the aid plan (packs, how often, until when) and the rule table that sizes it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from requests_intake.models.requests import AidRequest, Need, Priority


class AidPlan(models.Model):
    request = models.OneToOneField(AidRequest, on_delete=models.PROTECT, related_name="plan", verbose_name=_("request"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    first_delivery_on = models.DateField(_("first delivery on"))
    # Recurring aid (a weekly food pack): the next orders are made from the plan as their dates come near.
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), null=True, blank=True, help_text=_("Empty for a one-off delivery.")
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    valid_until = models.DateField(
        _("eligibility valid until"),
        null=True,
        blank=True,
        help_text=_("The social worker reviews the case before this date; no orders are made after it."),
    )
    review_reminded_on = models.DateField(_("review reminder sent on"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=200, blank=True)
    # Medication is delivered from a pharmacy against a prescription; clinical details are never stored here.
    pickup = models.BooleanField(
        _("collects at the depot"), default=False, help_text=_("The household collects the aid instead of a delivery.")
    )
    # The pharmacy the medication is collected from; its order becomes a pickup there and a delivery at home.
    pharmacy = models.ForeignKey(
        "requests_intake.Pharmacy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("pharmacy"),
    )
    prescription_ref = models.CharField(_("prescription reference"), max_length=60, blank=True)
    notes = models.TextField(_("notes for the delivery"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aid plan")
        verbose_name_plural = _("aid plans")

    def __str__(self) -> str:
        return f"{self.request}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class AidPlanLine(models.Model):
    plan = models.ForeignKey(AidPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    pack = models.ForeignKey("inventory.Pack", on_delete=models.PROTECT, verbose_name=_("pack"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    every_nth = models.PositiveSmallIntegerField(
        _("with every nth delivery"),
        default=1,
        help_text=_("1: every delivery; 4 on a weekly plan: once every four weeks (a monthly hygiene pack)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aid plan line")
        verbose_name_plural = _("aid plan lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="aidplanline_quantity_positive"),
            models.CheckConstraint(condition=models.Q(every_nth__gte=1), name="aidplanline_every_nth_positive"),
            models.UniqueConstraint(fields=["plan", "pack"], name="aidplanline_unique_pack"),
        ]


class PackRule(models.Model):
    """One row of the table that proposes packs from the household: who lives there → which packs, how often.

    Every rule that matches adds its packs; the social worker can change the proposal before approving."""

    name = models.CharField(_("name"), max_length=100)
    min_members = models.PositiveSmallIntegerField(_("from members"), default=1)
    max_members = models.PositiveSmallIntegerField(_("up to members"), null=True, blank=True)
    child_under_years = models.PositiveSmallIntegerField(
        _("only with a member under (years)"), null=True, blank=True, help_text=_("2 for the baby pack.")
    )
    need = models.CharField(_("only for the need"), max_length=20, choices=Need.choices, blank=True)
    pack = models.ForeignKey("inventory.Pack", on_delete=models.PROTECT, verbose_name=_("pack"))
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    every_nth = models.PositiveSmallIntegerField(_("with every nth delivery"), default=1)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pack rule")
        verbose_name_plural = _("pack rules")
        ordering = ["min_members", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="packrule_quantity_positive"),
            models.CheckConstraint(condition=models.Q(every_nth__gte=1), name="packrule_every_nth_positive"),
        ]

    def __str__(self) -> str:
        return self.name
