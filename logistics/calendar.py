"""Which days an order may be delivered: the one rule recurring orders, reschedules after a failed visit, new
approvals, changes by hand and week planning all read.

A day is allowed when it is not a public holiday (Spain's and settings.HOLIDAY_REGION's, from the `holidays`
package) nor a local holiday (LocalHoliday); vans deliver to the household's zone that weekday (DeliveryDay: the
zone's rows, else its depot's, else settings.DELIVERY_WEEKDAYS, Monday to Friday); the household is not away
(HouseholdAbsence); and, for a home delivery, it is one of the household's preferred days when it named any."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.dates import day_text
from logistics.models import DeliveryDay, DeliveryOrder, LocalHoliday
from requests_intake.models import Household, HouseholdAbsence

# How far `next_allowed_day` looks before giving up (a household away for two months, a zone served monthly).
LOOK_AHEAD_DAYS = 90
# A recurring delivery, a new approval or a reschedule after a failed visit may fall this many days either side
# of its date: the week planner uses the room to keep zones together and vans few.
RECURRING_TOLERANCE_DAYS = 2


@lru_cache(maxsize=64)
def _public_holidays(year: int, region: str) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ES", subdiv=region or None, years=year))


def public_holidays(start: dt.date, end: dt.date) -> set[dt.date]:
    """Spain's and the region's holidays from `start` to `end`, both included."""
    days: set[dt.date] = set()
    if not settings.PUBLIC_HOLIDAYS:
        return days
    for year in range(start.year, end.year + 1):
        days |= {d for d in _public_holidays(year, settings.HOLIDAY_REGION) if start <= d <= end}
    return days


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    """Public and local holidays from `start` to `end`."""
    local = LocalHoliday.objects.filter(date__range=(start, end)).values_list("date", flat=True)
    return public_holidays(start, end) | set(local)


@dataclass(frozen=True)
class Who:
    """What the calendar needs of an order, or of an order about to be made (a recurring occurrence)."""

    household_id: int
    zone_id: int | None
    warehouse_id: int
    home: bool
    preferred_days: frozenset[int]


def who_for(order: DeliveryOrder) -> Who:
    return who_of(order.household, order.warehouse_id, home=order.mode == DeliveryOrder.Mode.HOME)


def who_of(household: Household, warehouse_id: int, *, home: bool) -> Who:
    days = frozenset(d for d in (household.preferred_days or []) if isinstance(d, int) and 0 <= d <= 6)
    return Who(household.pk, household.zone_id, warehouse_id, home, days)


def delivery_weekdays(zone_id: int | None, warehouse_id: int) -> frozenset[int]:
    """The weekdays vans go to the zone: its own days, else its depot's, else settings.DELIVERY_WEEKDAYS."""
    rows = list(DeliveryDay.objects.filter(zone_id=zone_id).values_list("weekday", flat=True)) if zone_id else []
    if not rows:
        rows = list(DeliveryDay.objects.filter(warehouse_id=warehouse_id).values_list("weekday", flat=True))
    return frozenset(rows) if rows else frozenset(settings.DELIVERY_WEEKDAYS)


def _absences(household_id: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    return list(
        HouseholdAbsence.objects.filter(household_id=household_id, starts_on__lte=end, ends_on__gte=start).values_list(
            "starts_on", "ends_on"
        )
    )


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def allowed_days_for(who: Who, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days from `start` to `end` (both included) the calendar allows for `who`."""
    if end < start:
        return []
    weekdays = delivery_weekdays(who.zone_id, who.warehouse_id)
    if who.home and who.preferred_days:
        weekdays = weekdays & who.preferred_days
    closed = holidays_between(start, end)
    away = _absences(who.household_id, start, end)
    return [
        day
        for day in _days(start, end)
        if day.weekday() in weekdays and day not in closed and not any(a <= day <= b for a, b in away)
    ]


def allowed_days(order: DeliveryOrder, start: dt.date, end: dt.date) -> list[dt.date]:
    return allowed_days_for(who_for(order), start, end)


def next_allowed_day_for(who: Who, after: dt.date) -> dt.date | None:
    """The first allowed day strictly after `after`, or None within LOOK_AHEAD_DAYS."""
    days = allowed_days_for(who, after + dt.timedelta(days=1), after + dt.timedelta(days=LOOK_AHEAD_DAYS))
    return days[0] if days else None


def next_allowed_day(order: DeliveryOrder, after: dt.date) -> dt.date | None:
    return next_allowed_day_for(who_for(order), after)


def nearest_allowed_day_for(
    who: Who, day: dt.date, *, tolerance: int, not_before: dt.date | None = None
) -> dt.date | None:
    """The allowed day closest to `day` within ± `tolerance` days and not before `not_before` (the earlier on a
    tie), else None."""
    start = day - dt.timedelta(days=tolerance)
    if not_before is not None:
        start = max(start, not_before)
    allowed = allowed_days_for(who, start, day + dt.timedelta(days=tolerance))
    return min(allowed, key=lambda d: (abs((d - day).days), d)) if allowed else None


def recurring_tolerance(every_days: int | None) -> int:
    """How many days a recurring delivery may move either way: RECURRING_TOLERANCE_DAYS, less for plans that
    repeat so often that two deliveries could meet (weekly: ±2; every third day: ±1; daily: none)."""
    if not every_days:
        return RECURRING_TOLERANCE_DAYS
    return max(0, min(RECURRING_TOLERANCE_DAYS, (every_days - 1) // 2))


def day_refusal_for(who: Who, day: dt.date) -> ValidationError | None:
    """Why the calendar does not allow `day` for `who` (a ValidationError with a code), or None."""
    if day in holidays_between(day, day):
        return ValidationError(
            _("%(date)s is a holiday: no deliveries that day.") % {"date": day_text(day)}, code="holiday"
        )
    if day.weekday() not in delivery_weekdays(who.zone_id, who.warehouse_id):
        return ValidationError(
            _("Vans do not go to this household's zone on %(date)s: choose one of its delivery days.")
            % {"date": day_text(day)},
            code="not_a_delivery_day",
        )
    if who.home and who.preferred_days and day.weekday() not in who.preferred_days:
        return ValidationError(
            _("The household takes deliveries only on its preferred days, and %(date)s is not one.")
            % {"date": day_text(day)},
            code="not_household_day",
        )
    if _absences(who.household_id, day, day):
        return ValidationError(_("The household is away on %(date)s.") % {"date": day_text(day)}, code="household_away")
    return None


def day_refusal(order: DeliveryOrder, day: dt.date) -> ValidationError | None:
    return day_refusal_for(who_for(order), day)
