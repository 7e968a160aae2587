"""Who drives each van on a day: the usual driver when they work, a spare driver when not, else the van stays."""

import datetime as dt

import pytest

from core.tests.factories import UserFactory, tomorrow
from logistics.crew import crews_for
from logistics.models import DriverAbsence, DriverShift
from logistics.tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_driver(role_users):
    """Make a driver (the driver role's permissions) with no van of their own."""
    groups = list(role_users["driver"].groups.all())

    def make(username: str, **fields):
        user = UserFactory(username=username, **fields)
        user.groups.set(groups)
        return user

    return make


def _absent(driver, on: dt.date) -> None:
    DriverAbsence.objects.create(driver=driver, starts_on=on, ends_on=on, reason="leave")


def test_a_van_keeps_its_usual_driver_for_the_vans_hours_when_the_driver_keeps_no_shifts(role_users):
    van = VehicleFactory(driver=role_users["driver"])

    day = crews_for(tomorrow(), [van])

    assert [(c.vehicle, c.driver, c.start, c.end) for c in day.crews] == [
        (van, role_users["driver"], dt.time(9, 0), dt.time(14, 0))
    ]
    assert day.stay_home == []


def test_the_vans_hours_are_cut_to_the_drivers_shift_that_weekday(role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=tomorrow().weekday(), start=dt.time(10, 0), end=dt.time(16, 0))
    van = VehicleFactory(driver=driver)

    crew = crews_for(tomorrow(), [van]).crews[0]

    assert (crew.start, crew.end) == (dt.time(10, 0), dt.time(14, 0))


def test_a_driver_absent_that_day_is_replaced_by_a_spare_driver(role_users, new_driver):
    _absent(role_users["driver"], tomorrow())
    spare = new_driver("suplente")
    van = VehicleFactory(driver=role_users["driver"])

    day = crews_for(tomorrow(), [van])

    assert [(c.vehicle, c.driver) for c in day.crews] == [(van, spare)]


def test_a_van_whose_driver_is_off_and_nobody_is_free_stays_at_the_depot(role_users):
    _absent(role_users["driver"], tomorrow())
    van = VehicleFactory(driver=role_users["driver"])

    day = crews_for(tomorrow(), [van])

    assert (day.crews, day.stay_home) == ([], [van])


def test_a_driver_with_shifts_on_other_weekdays_only_does_not_work_that_day(role_users):
    other_day = (tomorrow().weekday() + 1) % 7
    DriverShift.objects.create(driver=role_users["driver"], weekday=other_day, start=dt.time(9), end=dt.time(14))
    van = VehicleFactory(driver=role_users["driver"])

    assert crews_for(tomorrow(), [van]).stay_home == [van]


def test_a_shift_that_does_not_meet_the_vans_hours_keeps_the_van_at_the_depot(role_users):
    DriverShift.objects.create(
        driver=role_users["driver"], weekday=tomorrow().weekday(), start=dt.time(15, 0), end=dt.time(20, 0)
    )
    van = VehicleFactory(driver=role_users["driver"])

    assert crews_for(tomorrow(), [van]).stay_home == [van]


def test_a_van_without_a_usual_driver_takes_a_spare_one_or_goes_undriven(role_users, new_driver):
    own = VehicleFactory(driver=role_users["driver"])  # the role's driver has a van of their own: not spare
    spare = new_driver("suplente")
    pooled, second_pooled = VehicleFactory(), VehicleFactory()

    day = crews_for(tomorrow(), [own, pooled, second_pooled])

    assert [(c.vehicle, c.driver) for c in day.crews] == [
        (own, role_users["driver"]),
        (pooled, spare),
        (second_pooled, None),
    ]
    assert day.stay_home == []


def test_people_who_may_not_record_deliveries_or_are_inactive_never_drive(role_users, new_driver):
    own = VehicleFactory(driver=role_users["driver"])
    new_driver("de baja", is_active=False)
    pooled = VehicleFactory()

    crew = crews_for(tomorrow(), [own, pooled]).crews[1]

    assert (crew.vehicle, crew.driver) == (pooled, None)  # neither the planner nor the inactive driver
