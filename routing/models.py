import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routing.reasons import explain


class PlanningRunQuerySet(models.QuerySet):
    def unfinished(self) -> "PlanningRunQuerySet":
        """Runs that may still store a plan for their day (queued or running): the one rule for "live" runs."""
        return self.filter(status__in=PlanningRun.UNFINISHED)


class PlanningRun(models.Model):
    """One request to plan a day's rounds; its rounds and left-out orders hang off it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # Queued or running: the run may still store a plan for its day. Every other status is final.
    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    class Kind(models.TextChoices):
        FULL = "full", _("Plan the day")
        INSERT = "insert", _("Fit new orders into the plan")

    class Objective(models.TextChoices):
        # The values are routing.solver.Objective's, which the run hands to the solver.
        VANS = "vans", _("Fewest vans")
        DISTANCE = "distance", _("Shortest distance")
        BALANCED = "balanced", _("Balanced rounds")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    objective = models.CharField(_("objective"), max_length=10, choices=Objective.choices, default=Objective.VANS)
    # Which search engine made the stored plan, and why it won (routing.solver's Plan.engine and engine_note).
    engine = models.CharField(_("engine"), max_length=20, blank=True)
    engine_note = models.CharField(_("engine note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    total_distance_m = models.PositiveIntegerField(_("total distance (m)"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The Celery task working on the run: a redelivery of the same task (its worker died) takes over at once.
    task_id = models.CharField(_("task"), max_length=50, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    # The board plans a draft the planner reviews and publishes; `plan_day` and the demo publish at once.
    publish_when_done = models.BooleanField(_("publish when done"), default=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = PlanningRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering = ["-created_at"]
        permissions = [("plan_rounds", _("Can plan delivery rounds"))]

    def __str__(self) -> str:
        return f"{self.date} #{self.pk}"

    @property
    def total_distance_km(self) -> float:
        return round(self.total_distance_m / 1000, 1)

    @property
    def is_finished(self) -> bool:
        """Done, failed or cancelled: the run stores nothing more. The opposite of `objects.unfinished()`."""
        return self.status not in self.UNFINISHED

    @property
    def waiting_for_worker(self) -> bool:
        """Queued for a while and not started: no worker free, or the task queue (broker) is down."""
        return self.status == self.Status.QUEUED and self.created_at < timezone.now() - dt.timedelta(seconds=30)


class UnplacedOrder(models.Model):
    """An order a planning run could not put on any round, with the reason in words."""

    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="unplaced", verbose_name=_("run"))
    order = models.ForeignKey("logistics.DeliveryOrder", on_delete=models.PROTECT, verbose_name=_("order"))
    reason = models.CharField(_("reason"), max_length=30)
    fix_kind = models.CharField(_("suggested change"), max_length=30, blank=True)
    fix_value = models.JSONField(_("suggested value"), null=True, blank=True)

    class Meta:
        verbose_name = _("order left out")
        verbose_name_plural = _("orders left out")

    @property
    def explanation(self) -> str:
        return explain(self.reason, self.fix_kind, self.fix_value)


class PlanningPart(models.Model):
    """One part of a large day's search, solved by whichever worker claims it first (routing.parts)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        SOLVING = "solving", _("Being solved")
        DONE = "done", _("Solved")

    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="parts", verbose_name=_("run"))
    # One search of the run's day; a run searches twice when the same-driver wishes leave orders out.
    batch = models.CharField(_("search"), max_length=32)
    index = models.PositiveSmallIntegerField(_("part"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The solver's input and output as JSON (routing.solver.serial); both are cleared once the run has read them.
    problem = models.JSONField(_("problem"), null=True, blank=True)
    options = models.JSONField(_("search options"), default=dict)
    plan = models.JSONField(_("plan"), null=True, blank=True)
    # Whoever solves it: a redelivery of the same task (its worker died) takes the part over at once.
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    solved_by = models.CharField(_("solved by"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planning part")
        verbose_name_plural = _("planning parts")
        ordering = ["run", "batch", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "batch", "index"], name="planning_part_once_per_search"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.index}"


class GeocodedAddress(models.Model):
    """An online geocoder's answer for one address, so it is asked once; a miss is kept too, without a point."""

    query = models.CharField(_("address searched"), max_length=400, unique=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    provider = models.CharField(_("geocoder"), max_length=50)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("geocoded address")
        verbose_name_plural = _("geocoded addresses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="geocoded_address_point_whole_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return self.query
