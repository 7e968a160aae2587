"""Who drives each van on a given day, and for which hours.

A driver works the hours of their shift for that weekday (a driver with no shifts at all works whenever the van
does) unless an absence covers the day. A van keeps its usual driver when that driver works; otherwise it gets a
driver who works that day and has no van of their own, and if there is none the van stays at the depot."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from logistics.models import DriverAbsence, DriverShift, Vehicle


@dataclass(frozen=True)
class Crew:
    vehicle: Vehicle
    driver: object | None  # the user driving, or None for a pooled van nobody is free to drive
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class DayCrews:
    crews: list[Crew]
    # Vans whose usual driver is off and nobody could cover: the planner is told why they are missing.
    stay_home: list[Vehicle]


def drivers():
    """Everyone who may record deliveries, through a role or directly."""
    permission = Permission.objects.get(content_type__app_label="delivery", codename="record_delivery")
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(groups__permissions=permission) | Q(user_permissions=permission)).distinct()


Hours = tuple[dt.time, dt.time] | None  # a shift, or None for a driver who keeps none (the van's hours)


class Roster:
    """The drivers, their weekly shifts and their absences, read once for a span of days (a calendar of two weeks
    reads the database as often as one day). Given `driver_ids`, only those drivers' hours are read, not the
    people themselves."""

    def __init__(self, first: dt.date, last: dt.date, driver_ids: list[int] | None = None):
        self.people = {user.pk: user for user in drivers()} if driver_ids is None else {}
        ids = list(self.people) if driver_ids is None else list(driver_ids)
        self.driver_ids = ids
        self.shifts: dict[int, dict[int, tuple[dt.time, dt.time]]] = {}
        for shift in DriverShift.objects.filter(driver_id__in=ids):
            self.shifts.setdefault(shift.driver_id, {})[shift.weekday] = (shift.start, shift.end)
        self.absences = list(
            DriverAbsence.objects.filter(driver_id__in=ids, starts_on__lte=last, ends_on__gte=first).values_list(
                "driver_id", "starts_on", "ends_on"
            )
        )

    def hours(self, date: dt.date) -> dict[int, Hours]:
        """For each driver who works on `date`: their shift, or None when they keep no shifts (any hours).

        Drivers who do not work that day are missing from the answer."""
        absent = {driver for driver, first, last in self.absences if first <= date <= last}
        hours: dict[int, Hours] = {}
        for driver_id in self.driver_ids:
            if driver_id in absent:
                continue
            if driver_id not in self.shifts:
                hours[driver_id] = None
            elif date.weekday() in self.shifts[driver_id]:
                hours[driver_id] = self.shifts[driver_id][date.weekday()]
        return hours


def working_hours(date: dt.date, driver_ids: list[int]) -> dict[int, Hours]:
    """Who of `driver_ids` works on `date`, and their hours (see Roster.hours)."""
    return Roster(date, date, driver_ids).hours(date)


def crews_for(date: dt.date, vehicles: list[Vehicle], roster: Roster | None = None) -> DayCrews:
    """Pair the day's available vans with drivers; the van's hours are cut to its driver's shift. Pass a roster
    read for several days to pair them day after day without reading it again."""
    roster = roster or Roster(date, date)
    people = roster.people
    hours = roster.hours(date)
    usual = {v.driver_id for v in vehicles if v.driver_id}
    spare = [pk for pk in sorted(hours) if pk not in usual]
    crews, stay_home = [], []
    for vehicle in sorted(vehicles, key=lambda v: v.pk):
        driver_id = vehicle.driver_id if vehicle.driver_id in hours else (spare.pop(0) if spare else None)
        if driver_id is None and vehicle.driver_id is not None:
            stay_home.append(vehicle)
            continue
        start, end = vehicle.shift_start, vehicle.shift_end
        shift = hours.get(driver_id) if driver_id else None
        if shift is not None:
            start, end = max(start, shift[0]), min(end, shift[1])
            if end <= start:  # the driver's hours and the van's do not meet
                stay_home.append(vehicle)
                continue
        crews.append(Crew(vehicle=vehicle, driver=people.get(driver_id), start=start, end=end))
    return DayCrews(crews=crews, stay_home=stay_home)
