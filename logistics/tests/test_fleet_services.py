"""The fleet's services: the two-week calendar built from vans, usual drivers, weekly shifts and absences."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import UserFactory
from logistics import fleet
from logistics.models import DriverAbsence, DriverShift
from logistics.tests.factories import VehicleFactory
from logistics.tests.fleet_world import _driver

pytestmark = pytest.mark.django_db

T = dt.time
MONDAY = dt.date(2030, 1, 7)


def _cell(rows, driver, date):
    row = next(row for row in rows if row.driver == driver)
    return next(cell for cell in row.cells if cell.date == date)


# The calendar


def test_a_driver_with_shifts_works_those_hours_and_is_off_the_other_days(role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=0, start=T(9, 0), end=T(14, 0))
    DriverShift.objects.create(driver=driver, weekday=2, start=T(15, 0), end=T(20, 0))

    dates, rows = fleet.availability_calendar(MONDAY)

    assert len(dates) == 14
    assert (dates[0], dates[-1]) == (MONDAY, MONDAY + dt.timedelta(days=13))
    labels = [cell.label for cell in next(row for row in rows if row.driver == driver).cells]
    assert labels[:7] == ["09:00–14:00", "off", "15:00–20:00", "off", "off", "off", "off"]
    assert labels[7:] == labels[:7]


def test_an_absent_driver_is_shown_absent_with_the_reason(role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=0, start=T(9, 0), end=T(14, 0))
    DriverAbsence.objects.create(driver=driver, starts_on=MONDAY, ends_on=MONDAY, reason="sick leave")
    DriverAbsence.objects.create(
        driver=driver, starts_on=MONDAY + dt.timedelta(days=7), ends_on=MONDAY + dt.timedelta(days=8)
    )

    _dates, rows = fleet.availability_calendar(MONDAY)

    assert _cell(rows, driver, MONDAY).label == "absent (sick leave)"
    assert _cell(rows, driver, MONDAY + dt.timedelta(days=7)).label == "absent"
    assert _cell(rows, driver, MONDAY + dt.timedelta(days=8)).label == "absent"  # absent even on a day off


def test_a_driver_without_shifts_works_the_hours_of_the_van_they_drive(role_users):
    driver = role_users["driver"]
    van = VehicleFactory(driver=driver, shift_start=T(8, 0), shift_end=T(15, 0))
    spare = _driver("conductor2", "Luis")

    _dates, rows = fleet.availability_calendar(MONDAY)

    cell = _cell(rows, driver, MONDAY)
    assert (cell.label, cell.vehicle) == ("08:00–15:00", van)
    spare_cell = _cell(rows, spare, MONDAY)
    assert (spare_cell.label, spare_cell.vehicle) == ("any hours", None)


def test_the_van_of_an_absent_driver_is_shown_with_the_driver_covering(role_users):
    driver = role_users["driver"]
    van = VehicleFactory(driver=driver)
    spare = _driver("conductor2", "Luis")
    DriverAbsence.objects.create(driver=driver, starts_on=MONDAY, ends_on=MONDAY, reason="training")

    _dates, rows = fleet.availability_calendar(MONDAY)

    assert _cell(rows, spare, MONDAY).vehicle == van
    assert _cell(rows, spare, MONDAY + dt.timedelta(days=1)).vehicle is None  # the usual driver is back
    assert _cell(rows, driver, MONDAY + dt.timedelta(days=1)).vehicle == van


def test_people_who_cannot_record_deliveries_are_not_in_the_calendar(role_users):
    _dates, rows = fleet.availability_calendar(MONDAY)

    assert [row.driver for row in rows] == [role_users["driver"]]


def test_the_two_week_calendar_reads_the_roster_once_not_once_a_day(role_users, django_assert_max_num_queries):
    for n in range(3):
        person = UserFactory(username=f"conductor-extra-{n}")
        person.groups.add(role_users["driver"].groups.get())
        VehicleFactory(driver=person)
    with django_assert_max_num_queries(8):  # 88 when each of the 14 days read shifts, absences and drivers again
        dates, rows = fleet.availability_calendar(timezone.localdate())
    assert len(dates) == 14
    assert all(len(row.cells) == 14 for row in rows)


# Refusals, each with its code and nothing changed


def test_a_bad_week_names_each_bad_day_with_its_code_and_keeps_the_shifts(role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=4, start=T(9, 0), end=T(14, 0))
    week = {0: (T(14, 0), T(9, 0)), 2: (T(10, 0), None), 4: (None, None)}

    with pytest.raises(ValidationError) as refused:
        fleet.driver_shifts_save(actor=role_users["logistics_planner"], driver=driver, week=week)

    assert [error.code for error in refused.value.error_list] == [
        "shift_ends_before_start",
        "shift_half_blank",
        "nothing_changed",
    ]
    assert list(DriverShift.objects.values_list("weekday", "start", "end")) == [(4, T(9, 0), T(14, 0))]


def test_someone_who_does_not_drive_gets_no_shifts(role_users):
    worker = role_users["social_worker"]

    with pytest.raises(ValidationError) as refused:
        fleet.driver_shifts_save(actor=role_users["logistics_planner"], driver=worker, week={0: (T(9, 0), T(14, 0))})

    assert refused.value.code == "not_a_driver"
    assert DriverShift.objects.count() == 0


@pytest.mark.parametrize(
    ("starts", "ends", "reason", "field", "code"),
    [
        (3, 2, "", "ends_on", "ends_before_start"),
        (-1, 2, "", "starts_on", "starts_in_past"),
        (0, 1, "x" * 201, "reason", "too_long"),
    ],
)
def test_a_bad_absence_is_refused_with_the_field_and_its_code(role_users, starts, ends, reason, field, code):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        fleet.driver_absence_add(
            actor=role_users["logistics_planner"],
            driver=role_users["driver"],
            starts_on=today + dt.timedelta(days=starts),
            ends_on=today + dt.timedelta(days=ends),
            reason=reason,
        )

    assert {name: [error.code for error in errors] for name, errors in refused.value.error_dict.items()} == {
        field: [code]
    }
    assert DriverAbsence.objects.count() == 0


def test_an_absence_overlapping_another_is_refused_with_its_code(role_users):
    today = timezone.localdate()
    driver = role_users["driver"]
    DriverAbsence.objects.create(driver=driver, starts_on=today, ends_on=today + dt.timedelta(days=3))

    with pytest.raises(ValidationError) as refused:
        fleet.driver_absence_add(
            actor=role_users["logistics_planner"],
            driver=driver,
            starts_on=today + dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=5),
        )

    assert refused.value.code == "already_absent"
    assert DriverAbsence.objects.count() == 1


def test_a_driver_already_on_another_van_is_refused_with_its_code(role_users):
    VehicleFactory(name="Furgoneta A", driver=role_users["driver"])
    second = VehicleFactory(name="Furgoneta B")

    with pytest.raises(ValidationError) as refused:
        fleet.vehicle_driver_set(actor=role_users["logistics_planner"], vehicle=second, driver=role_users["driver"])

    assert refused.value.code == "driver_has_a_van"
    second.refresh_from_db()
    assert second.driver is None
