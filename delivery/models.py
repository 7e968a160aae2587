"""The delivery day: the rounds a plan made, their stops, what the drivers did at the door, and what came back.

The models came from `routing` (Round, Stop, DriverAction) and `logistics` (WelfareConcern, SatisfactionSurvey)
and keep their tables, so no row moved (delivery/migrations/0001_initial.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Round(models.Model):
    # The run that made it stays in routing, above this app: a string reference, not an import.
    run = models.ForeignKey(
        "routing.PlanningRun", on_delete=models.CASCADE, related_name="rounds", verbose_name=_("run")
    )
    date = models.DateField(_("date"))
    vehicle = models.ForeignKey("logistics.Vehicle", on_delete=models.PROTECT, verbose_name=_("vehicle"))
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("driver"),
    )
    depot = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, verbose_name=_("depot"))
    start_at = models.DateTimeField(_("leaves depot at"))
    end_at = models.DateTimeField(_("back at depot at"))
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    # The driver's pause as planned, when the depot's break rule asks for one (see Warehouse.break_after_minutes).
    break_at = models.DateTimeField(_("break starts at"), null=True, blank=True)
    # The driver agreed, on the phone, to share the van's position while this round is under way; None: not shared.
    # Asked once per round and never carried over to the next one (delivery.positions).
    position_shared_at = models.DateTimeField(_("position shared since"), null=True, blank=True)

    class Meta:
        db_table = "routing_round"
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["date", "vehicle__name"]
        permissions = [("record_delivery", _("Can record delivery outcomes on own rounds"))]

    def __str__(self) -> str:
        return f"{self.date} · {self.vehicle.name}"

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)


class StopQuerySet(models.QuerySet):
    def deliveries(self):
        """The stops at a home: what every figure counts as a delivery or a failed visit. A pharmacy pickup is a
        stop of the round but not a delivery (its home stop is), so counting all stops would count an order twice."""
        return self.filter(kind=Stop.Kind.DELIVERY)


class Stop(models.Model):
    class Kind(models.TextChoices):
        # A medication order has two stops on one round: the pickup at its pharmacy first, then the delivery home.
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Pharmacy pickup")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("To deliver")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Not delivered")

    class FailureReason(models.TextChoices):
        NOT_HOME = "not_home", _("Nobody at home")
        REFUSED = "refused", _("Refused")
        WRONG_ADDRESS = "wrong_address", _("Wrong address")
        NO_ACCESS = "no_access", _("No access")
        # A pharmacy pickup's own failures: the order is rescheduled like a missed delivery.
        PHARMACY_CLOSED = "pharmacy_closed", _("Pharmacy closed")
        PRESCRIPTION_NOT_READY = "prescription_not_ready", _("Prescription not ready")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops", verbose_name=_("round"))
    order = models.ForeignKey(
        "logistics.DeliveryOrder", on_delete=models.PROTECT, related_name="stops", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DELIVERY)
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    arrival_at = models.DateTimeField(_("arrival"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    failure_reason = models.CharField(_("failure reason"), max_length=30, choices=FailureReason.choices, blank=True)
    received_by = models.CharField(_("received by"), max_length=120, blank=True)
    # The chain of custody of medication: who at the pharmacy handed it to the driver (on the pickup stop).
    handed_over_by = models.CharField(_("handed over by"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # When the van is now expected, worked out again from the round's last visit or the van's position while the
    # round is under way (routing.eta); `arrival_at` stays the planned time. None: no better guess than the plan.
    expected_at = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A re-optimisation keeps the stop on its round at its place.")
    )
    signature = models.FileField(_("signature"), upload_to="proof/signatures/%Y/%m/", blank=True)
    photo = models.FileField(_("photo"), upload_to="proof/photos/%Y/%m/", blank=True)

    # A stop taken off its round is deleted; its history keeps where it was and when it went (not its expected
    # arrival, worked out again at every visit of the round).
    history = HistoricalRecords(excluded_fields=["signature", "photo", "expected_at"])
    objects = StopQuerySet.as_manager()

    class Meta:
        db_table = "routing_stop"
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["round", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["round", "sequence"], name="stop_unique_sequence"),
            models.CheckConstraint(
                condition=~models.Q(outcome="failed") | ~models.Q(failure_reason=""),
                name="stop_failure_has_reason",
            ),
        ]


class VanPosition(models.Model):
    """Where a van was, from its driver's phone, while its round was under way and its driver agreed to share it.

    Only what the board needs: the latest fix per round and a short trail (delivery.positions keeps
    POSITION_TRAIL of them); a round's positions go the night after its day (`van_positions_prune`)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="positions", verbose_name=_("round"))
    recorded_at = models.DateTimeField(_("recorded at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("van position")
        verbose_name_plural = _("van positions")
        ordering = ["round", "-recorded_at"]
        indexes = [models.Index(fields=["round", "-recorded_at"], name="vanposition_round_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="vanposition_on_earth",
            ),
        ]


class DriverAction(models.Model):
    """An action sent from the driver's phone, kept under the key the phone made for it.

    A phone that lost its signal sends its queue again when it comes back; the key lets the server answer a
    repeat with the first result instead of recording the delivery twice."""

    key = models.UUIDField(_("key"), unique=True)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("driver")
    )
    # A delivery, failure or concern is about a stop; starting the round is about the round.
    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, null=True, blank=True, related_name="actions", verbose_name=_("stop")
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="actions", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=20)
    done_at = models.DateTimeField(_("done on the phone at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    accepted = models.BooleanField(_("accepted"))
    # Why a refused action was refused, for the phone (delivery.driver_sync); blank when accepted.
    code = models.CharField(_("refusal code"), max_length=40, blank=True, default="")
    message = models.CharField(_("answer"), max_length=300, blank=True)

    class Meta:
        db_table = "routing_driveraction"
        verbose_name = _("driver action")
        verbose_name_plural = _("driver actions")
        ordering = ["received_at"]


class WelfareConcern(models.Model):
    """Something a driver saw at the door that the household's social worker should know: a small case of its own,
    open until someone owns it, and resolved only with the action taken and a closing note."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    household = models.ForeignKey(
        "requests_intake.Household", on_delete=models.PROTECT, related_name="concerns", verbose_name=_("household")
    )
    stop = models.ForeignKey(Stop, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("stop"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    text = models.TextField(_("what the driver saw"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_concerns",
        verbose_name=_("owner"),
    )
    action_taken = models.TextField(_("action taken"), blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        db_table = "logistics_welfareconcern"
        verbose_name = _("welfare concern")
        verbose_name_plural = _("welfare concerns")
        ordering = ["-created_at"]
        constraints = [
            # Taking a concern up is not closing it: a resolved one says what was done, by whom and when.
            models.CheckConstraint(
                condition=~models.Q(status="resolved")
                | (
                    models.Q(resolved_at__isnull=False, resolved_by__isnull=False)
                    & ~models.Q(action_taken="")
                    & ~models.Q(closing_note="")
                ),
                name="concern_resolved_says_how",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(owner__isnull=False), name="concern_worked_has_owner"
            ),
        ]


class SatisfactionSurvey(models.Model):
    """A short survey sent after a delivery, or after a decision that brought no delivery (rejected, referred,
    answered at intake); the link carries a random token, so no sign-in is needed."""

    order = models.OneToOneField(
        "logistics.DeliveryOrder",
        on_delete=models.PROTECT,
        related_name="survey",
        null=True,
        blank=True,
        verbose_name=_("order"),
    )
    request = models.OneToOneField(
        "requests_intake.AidRequest",
        on_delete=models.PROTECT,
        related_name="survey",
        null=True,
        blank=True,
        verbose_name=_("request"),
    )
    token = models.CharField(_("token"), max_length=43, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 6)]
    )
    on_time = models.BooleanField(_("arrived in the window"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    class Meta:
        db_table = "logistics_satisfactionsurvey"
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5), name="survey_score_range"
            ),
            # About one delivery, or about one decision: never both, never neither.
            models.CheckConstraint(
                condition=models.Q(order__isnull=False, request__isnull=True)
                | models.Q(order__isnull=True, request__isnull=False),
                name="survey_about_an_order_or_a_request",
            ),
        ]
