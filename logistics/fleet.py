"""The vans and the people who drive them: availability, usual drivers, weekly shifts, absences, and the calendar
the planner reads before planning a day.

Who actually drives on a day is decided by `logistics.crew`; this module only keeps what it reads."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.dates import day_text
from logistics.crew import Roster, crews_for, drivers
from logistics.models import WEEKDAYS, DriverAbsence, DriverShift, Vehicle

CALENDAR_DAYS = 14


def person_name(user) -> str:
    return user.get_full_name() or user.username


# The calendar


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    working: bool
    # The driver's shift that day; for a driver who keeps no shifts, the hours of the van they drive, if any.
    hours: tuple[dt.time, dt.time] | None = None
    absence: DriverAbsence | None = None
    vehicle: Vehicle | None = None

    @property
    def label(self) -> str:
        if self.absence is not None:
            if self.absence.reason:
                return _("absent (%(reason)s)") % {"reason": self.absence.reason}
            return _("absent")
        if not self.working:
            return _("off")
        if self.hours is None:
            return _("any hours")
        return f"{self.hours[0]:%H:%M}–{self.hours[1]:%H:%M}"


@dataclass(frozen=True)
class DriverRow:
    driver: object
    cells: list[DayCell]


def availability_calendar(start: dt.date, days: int = CALENDAR_DAYS) -> tuple[list[dt.date], list[DriverRow]]:
    """One row per driver, one cell per day from `start`: their hours, off, or absent, and the van they drive."""
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    roster = Roster(start, dates[-1])
    people = sorted(roster.people.values(), key=lambda p: (p.first_name, p.last_name, p.username))
    ids = [person.pk for person in people]
    absences = list(
        DriverAbsence.objects.filter(driver_id__in=ids, starts_on__lte=dates[-1], ends_on__gte=start).order_by(
            "starts_on", "pk"
        )
    )
    vehicles = list(Vehicle.objects.in_service().select_related("driver", "depot"))
    cells: dict[int, list[DayCell]] = {pk: [] for pk in ids}
    for date in dates:
        hours = roster.hours(date)
        day = crews_for(date, vehicles, roster).crews
        crews = {crew.driver.pk: crew for crew in day if crew.driver is not None}
        for pk in ids:
            crew = crews.get(pk)
            if pk in hours:
                shift = hours[pk] or ((crew.start, crew.end) if crew else None)
                cells[pk].append(DayCell(date=date, working=True, hours=shift, vehicle=crew and crew.vehicle))
                continue
            absence = next((a for a in absences if a.driver_id == pk and a.starts_on <= date <= a.ends_on), None)
            cells[pk].append(DayCell(date=date, working=False, absence=absence))
    return dates, [DriverRow(driver=person, cells=cells[person.pk]) for person in people]


def weekly_shifts(driver_ids: list[int]) -> dict[int, dict[int, DriverShift]]:
    """driver -> weekday -> shift, for the shift forms."""
    shifts: dict[int, dict[int, DriverShift]] = {pk: {} for pk in driver_ids}
    for shift in DriverShift.objects.filter(driver_id__in=driver_ids):
        shifts[shift.driver_id][shift.weekday] = shift
    return shifts


def absences_ahead(today: dt.date):
    """Absences not yet over, for the list the planner can correct."""
    return DriverAbsence.objects.filter(ends_on__gte=today).select_related("driver").order_by("starts_on", "pk")


# Changing the fleet


def _ensure_driver(user) -> None:
    if not drivers().filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(name)s may not record deliveries, so cannot drive a round; nothing was changed.")
            % {"name": person_name(user)},
            code="not_a_driver",
        )


@transaction.atomic
def vehicle_availability_set(*, actor, vehicle: Vehicle, available: bool) -> Vehicle:
    """Take a van out of planning (in the workshop, no fuel) or put it back; rounds already planned keep it."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    vehicle.is_available = available
    vehicle.save(update_fields=["is_available"])
    return vehicle


@transaction.atomic
def vehicle_driver_set(*, actor, vehicle: Vehicle, driver) -> Vehicle:
    """Give the van its usual driver, or none (a pooled van any free driver takes)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if driver is not None:
        _ensure_driver(driver)
        # Two vans with the same usual driver would both be paired with them on the same day.
        other = Vehicle.objects.filter(driver=driver).exclude(pk=vehicle.pk).first()
        if other is not None:
            raise ValidationError(
                _("%(name)s already drives %(vehicle)s: give that van another driver first; nothing was changed.")
                % {"name": person_name(driver), "vehicle": other},
                code="driver_has_a_van",
            )
    vehicle.driver = driver
    vehicle.save(update_fields=["driver"])
    return vehicle


@transaction.atomic
def driver_shifts_save(*, actor, driver, week: dict[int, tuple[dt.time | None, dt.time | None]]) -> list[DriverShift]:
    """Set a driver's usual hours weekday by weekday, all or nothing; a weekday left blank has no shift.

    A driver left with no shift at all works the van's hours every day (see logistics.crew)."""
    _ensure_driver(driver)
    errors = []
    for weekday, (start, end) in sorted(week.items()):
        if weekday not in range(7):
            raise ValueError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
        # The message starts with the weekday, which Spanish writes in lower case mid-sentence.
        day = capfirst(WEEKDAYS[weekday])
        if (start is None) != (end is None):
            errors.append(
                ValidationError(
                    _("%(day)s: give both the start and the end, or leave both blank.") % {"day": day},
                    code="shift_half_blank",
                )
            )
        elif start is not None and start >= end:
            errors.append(
                ValidationError(
                    _("%(day)s: the shift must end after it starts (%(start)s–%(end)s).")
                    % {"day": day, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
                    code="shift_ends_before_start",
                )
            )
    if errors:
        # A list keeps each weekday's own code; the closing line tells the planner the week was left as it was.
        raise ValidationError([*errors, ValidationError(_("Nothing was changed."), code="nothing_changed")])
    DriverShift.objects.filter(
        driver=driver, weekday__in=[d for d, (start, _e) in week.items() if start is None]
    ).delete()
    saved = []
    for weekday, (start, end) in sorted(week.items()):
        if start is not None:
            shift, _created = DriverShift.objects.update_or_create(
                driver=driver, weekday=weekday, defaults={"start": start, "end": end}
            )
            saved.append(shift)
    return saved


@transaction.atomic
def driver_absence_add(*, actor, driver, starts_on: dt.date, ends_on: dt.date, reason: str = "") -> DriverAbsence:
    """Record days a driver will not work; the van goes to another driver on those days."""
    _ensure_driver(driver)
    reason = reason.strip()
    if starts_on > ends_on:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("The absence must end on or after the day it starts; nothing was saved."),
                    code="ends_before_start",
                )
            }
        )
    today = timezone.localdate()
    if starts_on < today:
        raise ValidationError(
            {
                "starts_on": ValidationError(
                    _("An absence cannot start in the past (%(date)s); nothing was saved.")
                    % {"date": day_text(starts_on)},
                    code="starts_in_past",
                )
            }
        )
    longest = DriverAbsence._meta.get_field("reason").max_length
    if len(reason) > longest:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("The reason can have at most %(count)s characters; nothing was saved.") % {"count": longest},
                    code="too_long",
                )
            }
        )
    overlap = DriverAbsence.objects.filter(driver=driver, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlap is not None:
        raise ValidationError(
            _("%(name)s is already absent from %(start)s to %(end)s: change or delete that absence; nothing was saved.")
            % {
                "name": person_name(driver),
                "start": day_text(overlap.starts_on),
                "end": day_text(overlap.ends_on),
            },
            code="already_absent",
        )
    return DriverAbsence.objects.create(driver=driver, starts_on=starts_on, ends_on=ends_on, reason=reason)


@transaction.atomic
def driver_absence_delete(*, actor, absence: DriverAbsence) -> None:
    """Call off an absence (the driver works after all)."""
    absence.delete()
