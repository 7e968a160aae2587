"""Case work: who follows each household (the professional of reference) and what was done for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.households import Household


class CaseAssignment(models.Model):
    """One change of a household's professional of reference: from whom, to whom, by whom, when and why."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("household")
    )
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous professional"),
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new professional"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_worker=models.F("to_worker")), name="case_assignment_changes_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_worker_id} → {self.to_worker_id}"


class Intervention(models.Model):
    """A case note: something a professional did for the household (registro de intervenciones)."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        INTERVIEW = "interview", _("Interview")
        HOME_VISIT = "home_visit", _("Home visit")
        COORDINATION = "coordination", _("Coordination with another service")
        DOCUMENT = "document", _("Document issued")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    topic = models.CharField(_("topic"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1) & models.Q(duration_minutes__lte=600),
                name="intervention_duration_1_to_600_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.topic}"


class HomeVisit(models.Model):
    """A visit to the household's home by a social worker, in a time window; its outcome is an intervention."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="home_visits", verbose_name=_("household")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("social worker")
    )
    date = models.DateField(_("date"))
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_visit",
        verbose_name=_("outcome"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheduled by")
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["date", "window_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")), name="home_visit_window_not_empty"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(intervention__isnull=False),
                name="home_visit_done_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["worker", "date"], name="home_visit_worker_day_idx")]

    def __str__(self) -> str:
        return f"{self.household} · {self.date}"
