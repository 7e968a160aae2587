import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from requests_intake.models import Priority

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class Skill(models.TextChoices):
    COLD_CHAIN = "cold_chain", _("Cold chain")
    MEDICATION = "medication", _("Medication")
    WHEELCHAIR_LIFT = "wheelchair_lift", _("Wheelchair lift")
    # Given by the crew, never ticked on the van: a van whose crew_size is 2 (routing.adapter).
    TWO_PEOPLE = "two_people", _("Two-person crew")


# Skills planning derives from the van's crew and driver of the day, not from the van's ticked skills.
CREW_SKILLS = frozenset({Skill.TWO_PEOPLE, Skill.MEDICATION})


class VehicleQuerySet(models.QuerySet):
    def in_service(self) -> "VehicleQuerySet":
        """Vans planning may use: the one rule every page, planning run and readiness check reads."""
        return self.filter(is_available=True)

    def out_of_service(self) -> "VehicleQuerySet":
        return self.filter(is_available=False)


class Vehicle(models.Model):
    name = models.CharField(_("name"), max_length=60)
    plate = models.CharField(_("plate"), max_length=15, unique=True)
    depot = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, verbose_name=_("depot"))
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("driver"),
    )
    capacity_kg = models.PositiveIntegerField(_("capacity (kg)"))
    capacity_l = models.PositiveIntegerField(_("capacity (l)"))
    capacity_packs = models.PositiveIntegerField(_("capacity (packs)"), default=80)
    skills = models.JSONField(_("skills"), default=list, blank=True, help_text=_("What the van can carry or do."))
    shift_start = models.TimeField(_("shift start"), default=dt.time(9, 0))
    shift_end = models.TimeField(_("shift end"), default=dt.time(14, 0))
    is_available = models.BooleanField(_("available"), default=True)
    crew_size = models.PositiveSmallIntegerField(
        _("crew"), default=1, help_text=_("People on the van: 2 for heavy loads up stairs without a lift.")
    )
    # A van kept away from its depot (at a driver's home, a partner's yard) starts and ends its round there.
    start_latitude = models.DecimalField(
        _("start latitude"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("Empty: the depot.")
    )
    start_longitude = models.DecimalField(
        _("start longitude"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("Empty: the depot.")
    )
    # What a day's round costs: the van and its driver for the day, plus fuel and wear per kilometre.
    daily_cost = models.DecimalField(
        _("cost per day"), max_digits=8, decimal_places=2, default=Decimal("90.00"), help_text=_("VAT excluded.")
    )
    cost_per_km = models.DecimalField(
        _("cost per km"), max_digits=6, decimal_places=3, default=Decimal("0.250"), help_text=_("VAT excluded.")
    )

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["name"]
        # A driver given this (directly or through a role) may take medication on a round.
        permissions = [("carry_medication", _("Can carry medication on a round"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shift_end__gt=models.F("shift_start")), name="vehicle_shift_order"
            ),
            models.CheckConstraint(
                condition=models.Q(daily_cost__gte=0, cost_per_km__gte=0), name="vehicle_costs_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(crew_size__in=[1, 2]), name="vehicle_crew_one_or_two"),
            models.CheckConstraint(
                condition=models.Q(start_latitude__isnull=True, start_longitude__isnull=True)
                | models.Q(start_latitude__isnull=False, start_longitude__isnull=False),
                name="vehicle_start_whole_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"


class DriverShift(models.Model):
    """A driver's usual working hours on one weekday; a driver with no shifts works the van's hours every day."""

    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("driver")
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(i, label) for i, label in enumerate(WEEKDAYS)], help_text=_("0 is Monday.")
    )
    start = models.TimeField(_("starts at"))
    end = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("driver shift")
        verbose_name_plural = _("driver shifts")
        ordering = ["driver", "weekday", "start"]
        constraints = [
            models.UniqueConstraint(fields=["driver", "weekday"], name="driver_shift_one_per_weekday"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="driver_shift_order"),
        ]

    def __str__(self) -> str:
        return f"{self.driver} · {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DriverAbsence(models.Model):
    """Days a driver does not work (leave, sickness, training): the planner gives the van to another driver."""

    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences", verbose_name=_("driver")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("driver absence")
        verbose_name_plural = _("driver absences")
        ordering = ["starts_on", "driver"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_order"),
        ]

    def __str__(self) -> str:
        return f"{self.driver} · {self.starts_on}–{self.ends_on}"


class DeliveryOrder(models.Model):
    class Mode(models.TextChoices):
        HOME = "home", _("Home delivery")
        PICKUP = "pickup", _("Pick-up at the depot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending stock")
        SHORT = "short", _("Not enough stock")
        RESERVED = "reserved", _("Stock reserved")
        # In their own context: Spanish agrees these with "orden" (feminine).
        PLANNED = "planned", pgettext_lazy("delivery order status", "Planned")
        OUT_FOR_DELIVERY = "out", _("Out for delivery")
        DELIVERED = "delivered", pgettext_lazy("delivery order status", "Delivered")
        FAILED = "failed", _("Delivery failed")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", pgettext_lazy("delivery order status", "Cancelled")

    class CancelReason(models.TextChoices):
        HOUSEHOLD_REQUEST = "household_request", _("The household asked")
        HOUSEHOLD_AWAY = "household_away", _("The household is away")
        DUPLICATE = "duplicate", _("Duplicate order")
        NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
        PLAN_ENDED = "plan_ended", _("The aid plan ended")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        "requests_intake.AidPlan", on_delete=models.PROTECT, related_name="orders", verbose_name=_("aid plan")
    )
    household = models.ForeignKey(
        "requests_intake.Household",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("household"),
    )
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, verbose_name=_("warehouse"))
    due_date = models.DateField(_("due date"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    window_start = models.TimeField(_("window start"), default=dt.time(9, 0))
    window_end = models.TimeField(_("window end"), default=dt.time(14, 0))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField(_("delivery mode"), max_length=8, choices=Mode.choices, default=Mode.HOME)
    collected_by = models.CharField(_("collected by"), max_length=120, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # What the household was last told about this order, so publishing again tells it only of a change.
    told_date = models.DateField(_("date told"), null=True, blank=True)
    told_start = models.TimeField(_("window start told"), null=True, blank=True)
    told_end = models.TimeField(_("window end told"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=20, choices=CancelReason.choices, blank=True)
    # The days either side of due_date the week planner may move the order to (logistics.week); 0: that day only.
    flex_days = models.PositiveSmallIntegerField(_("days it may move"), default=0)

    # Every change of day, window, mode or status stays on record with who made it and why (logistics.changes).
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("delivery order")
        verbose_name_plural = _("delivery orders")
        ordering = ["due_date", "priority", "pk"]
        indexes = [models.Index(fields=["due_date", "status"], name="order_due_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")), name="order_window_order"
            ),
        ]

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.pk}


class DeliveryOrderLine(models.Model):
    order = models.ForeignKey(DeliveryOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    pack = models.ForeignKey("inventory.Pack", on_delete=models.PROTECT, verbose_name=_("pack"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="orderline_quantity_positive"),
        ]


class DeliveryDay(models.Model):
    """A weekday vans deliver to a zone (Zona Norte on Tuesdays and Fridays) or, for zones with no days of their
    own, from a depot. With no rows at all, settings.DELIVERY_WEEKDAYS (Monday to Friday) are delivery days."""

    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(i, label) for i, label in enumerate(WEEKDAYS)], help_text=_("0 is Monday.")
    )
    zone = models.ForeignKey(
        "requests_intake.Zone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery_days",
        verbose_name=_("zone"),
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery_days",
        verbose_name=_("depot"),
    )

    class Meta:
        verbose_name = _("delivery day")
        verbose_name_plural = _("delivery days")
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone__isnull=True, warehouse__isnull=False)
                | models.Q(zone__isnull=False, warehouse__isnull=True),
                name="delivery_day_zone_or_depot",
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="delivery_day_weekday"),
            models.UniqueConstraint(fields=["zone", "weekday"], name="delivery_day_unique_zone"),
            models.UniqueConstraint(fields=["warehouse", "weekday"], name="delivery_day_unique_depot"),
        ]

    def __str__(self) -> str:
        return f"{self.zone or self.warehouse} · {self.get_weekday_display()}"


class LocalHoliday(models.Model):
    """A municipality's own holiday (its patron saint's day), entered by a planner: no delivery falls on it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("local holiday")
        verbose_name_plural = _("local holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} · {self.name}"
