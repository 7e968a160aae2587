"""The planner's calendar: the municipality's local holidays and the weekdays vans go to each zone or depot.

logistics.calendar reads both for every order (recurring, reschedules, changes by hand, the week plan). A change
here does not move orders already made: it says how many open orders fall on the day or weekday just closed, so
the planner moves them (the orders page of that day, or the change page)."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from inventory.models import Warehouse
from inventory.selectors import default_warehouse
from logistics.calendar import delivery_weekdays
from logistics.models import DeliveryDay, DeliveryOrder, LocalHoliday
from requests_intake.models import Zone

logger = logging.getLogger(__name__)

DONE = (DeliveryOrder.Status.DELIVERED, DeliveryOrder.Status.CANCELLED)


def open_orders_on(day: dt.date) -> int:
    """Orders not delivered nor cancelled due on `day`."""
    return DeliveryOrder.objects.filter(due_date=day).exclude(status__in=DONE).count()


@transaction.atomic
def local_holiday_add(*, actor, date: dt.date, name: str) -> tuple[LocalHoliday, int]:
    """Enter a local holiday: no delivery falls on it from now on. Returns it with the number of open orders
    already due that day (to be moved by the planner)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ValidationError(_("Name the holiday."), code="name_required")})
    if date < timezone.localdate():
        raise ValidationError(
            {"date": ValidationError(_("%(date)s has passed.") % {"date": day_text(date)}, code="date_passed")}
        )
    if LocalHoliday.objects.filter(date=date).exists():
        raise ValidationError(
            {
                "date": ValidationError(
                    _("%(date)s is already a local holiday.") % {"date": day_text(date)}, code="holiday_exists"
                )
            }
        )
    try:
        with transaction.atomic():
            holiday = LocalHoliday.objects.create(date=date, name=name[:100])
    except IntegrityError as exc:  # entered by someone else at the same moment
        raise ValidationError(
            {
                "date": ValidationError(
                    _("%(date)s is already a local holiday.") % {"date": day_text(date)}, code="holiday_exists"
                )
            }
        ) from exc
    logger.info("%s entered the local holiday %s (%s)", actor, date, name)
    return holiday, open_orders_on(date)


@transaction.atomic
def local_holiday_remove(*, actor, holiday: LocalHoliday) -> None:
    """Take a local holiday off the calendar: vans may go out that day again."""
    logger.info("%s removed the local holiday %s (%s)", actor, holiday.date, holiday.name)
    holiday.delete()


def _weekdays(values: Iterable) -> set[int]:
    days = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise ValidationError(
                {"weekdays": ValidationError(_("A weekday is a number from 0 (Monday) to 6."), code="invalid_weekday")}
            )
        days.add(value)
    return days


def _in_effect(zone: Zone | None, warehouse: Warehouse | None) -> frozenset[int]:
    if zone is not None:
        depot = zone.depot if zone.depot_id is not None else default_warehouse()
        return delivery_weekdays(zone.pk, depot.pk if depot else 0)
    return delivery_weekdays(None, warehouse.pk)


@transaction.atomic
def delivery_days_set(
    *, actor, weekdays: Iterable[int], zone: Zone | None = None, warehouse: Warehouse | None = None
) -> tuple[set[int], int]:
    """Open exactly `weekdays` for a zone, or for a depot (the days of its zones that have none of their own).
    No day at all means the zone follows its depot, and the depot settings.DELIVERY_WEEKDAYS. Returns the
    weekdays no longer served and the number of open orders from today on that fall on one of them (to be
    moved)."""
    if (zone is None) == (warehouse is None):
        raise ValidationError(_("Choose a zone or a depot."), code="zone_or_depot")
    wanted = _weekdays(weekdays)
    rows = DeliveryDay.objects.select_for_update().filter(**({"zone": zone} if zone else {"warehouse": warehouse}))
    before = _in_effect(zone, warehouse)
    had = set(rows.values_list("weekday", flat=True))
    rows.exclude(weekday__in=wanted).delete()
    DeliveryDay.objects.bulk_create(
        DeliveryDay(weekday=day, zone=zone, warehouse=warehouse) for day in sorted(wanted - had)
    )
    closed = set(before - _in_effect(zone, warehouse))
    affected = 0
    if closed:
        orders = DeliveryOrder.objects.filter(due_date__gte=timezone.localdate()).exclude(status__in=DONE)
        if zone is not None:
            orders = orders.filter(household__zone=zone)
        else:  # the depot's days reach only the zones without days of their own
            orders = orders.filter(warehouse=warehouse).exclude(household__zone__delivery_days__isnull=False)
        affected = orders.filter(due_date__iso_week_day__in=[day + 1 for day in closed]).count()
    logger.info("%s set the delivery days of %s to %s", actor, zone or warehouse, sorted(wanted))
    return closed, affected
