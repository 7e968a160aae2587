"""The fleet page: vans, usual drivers, weekly shifts and absences, and who may read or change them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from logistics import fleet
from logistics.models import DriverAbsence, DriverShift, Vehicle
from logistics.tests.factories import VehicleFactory
from logistics.tests.fleet_world import _driver

pytestmark = pytest.mark.django_db

T = dt.time
MONDAY = dt.date(2030, 1, 7)


def _shifts(driver) -> list[tuple[int, dt.time, dt.time]]:
    return list(DriverShift.objects.filter(driver=driver).order_by("weekday").values_list("weekday", "start", "end"))


def _week(**days) -> dict:
    """The shift form's data: mon="09:00-14:00" and so on; the other days blank."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    data = {}
    for weekday, name in enumerate(names):
        start, _dash, end = days.get(name, "-").partition("-")
        data[f"start_{weekday}"], data[f"end_{weekday}"] = start, end
    return data


# Weekly shifts


def test_the_planner_sets_a_drivers_week_and_a_blank_day_removes_its_shift(client, role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=1, start=T(9, 0), end=T(14, 0))
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("driver_shift_save", args=[driver.pk]),
        {**_week(mon="08:00-15:00", fri="16:00-20:00"), "from": "2030-01-07"},
    )

    assert response.status_code == 302
    assert response.url == f"{reverse('fleet')}?from=2030-01-07"
    assert _shifts(driver) == [(0, T(8, 0), T(15, 0)), (4, T(16, 0), T(20, 0))]


@pytest.mark.parametrize(
    ("week", "message"),
    [
        (_week(mon="14:00-09:00"), "Monday: the shift must end after it starts (14:00–09:00)."),
        (_week(tue="10:00-10:00"), "Tuesday: the shift must end after it starts (10:00–10:00)."),
        (_week(wed="10:00-"), "Wednesday: give both the start and the end, or leave both blank."),
        (_week(thu="-12:00"), "Thursday: give both the start and the end, or leave both blank."),
        (_week(mon="25:00-26:00"), "Enter a valid time."),
    ],
)
def test_a_bad_shift_is_refused_and_nothing_is_changed(client, role_users, week, message):
    driver = role_users["driver"]
    # Friday is blank in every case: had anything been saved, Friday's shift would be gone.
    DriverShift.objects.create(driver=driver, weekday=4, start=T(9, 0), end=T(14, 0))
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("driver_shift_save", args=[driver.pk]), week, follow=True)

    assert message in response.content.decode()
    assert _shifts(driver) == [(4, T(9, 0), T(14, 0))]


def test_leaving_every_day_blank_warns_that_the_driver_now_works_every_day(client, role_users):
    driver = role_users["driver"]
    DriverShift.objects.create(driver=driver, weekday=0, start=T(9, 0), end=T(14, 0))
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("driver_shift_save", args=[driver.pk]), _week(), follow=True)

    assert "keeps no shifts now, so works the van" in response.content.decode()
    assert _shifts(driver) == []


def test_shifts_are_only_for_drivers(client, role_users):
    worker = role_users["social_worker"]
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("driver_shift_save", args=[worker.pk]), _week(mon="09:00-14:00"))

    assert response.status_code == 404
    assert _shifts(worker) == []
    with pytest.raises(ValidationError) as refused:
        fleet.driver_shifts_save(actor=role_users["logistics_planner"], driver=worker, week={0: (T(9, 0), T(14, 0))})
    assert refused.value.code == "not_a_driver"


# Absences


def _absence_data(driver, starts_on, ends_on, reason="holidays") -> dict:
    return {"driver": driver.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "reason": reason}


def _absences() -> list[tuple]:
    return list(DriverAbsence.objects.order_by("pk").values_list("driver__username", "starts_on", "ends_on", "reason"))


def test_the_planner_records_an_absence(client, role_users):
    today = timezone.localdate()
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("driver_absence_add"), _absence_data(role_users["driver"], today, today + dt.timedelta(days=4))
    )

    assert response.status_code == 302
    assert _absences() == [("driver", today, today + dt.timedelta(days=4), "holidays")]


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (3, 2, "The absence must end on or after the day it starts; nothing was saved."),
        (-1, 2, "An absence cannot start in the past"),
    ],
)
def test_an_absence_with_bad_dates_is_refused(client, role_users, starts, ends, message):
    today = timezone.localdate()
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("driver_absence_add"),
        _absence_data(role_users["driver"], today + dt.timedelta(days=starts), today + dt.timedelta(days=ends)),
        follow=True,
    )

    assert message in response.content.decode()
    assert _absences() == []


def test_an_absence_overlapping_another_is_refused(client, role_users):
    today = timezone.localdate()
    DriverAbsence.objects.create(
        driver=role_users["driver"], starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5)
    )
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("driver_absence_add"),
        _absence_data(role_users["driver"], today + dt.timedelta(days=5), today + dt.timedelta(days=9)),
        follow=True,
    )

    assert "is already absent from" in response.content.decode()
    assert len(_absences()) == 1


def test_an_absence_is_only_for_a_driver(client, role_users):
    today = timezone.localdate()
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("driver_absence_add"), _absence_data(role_users["social_worker"], today, today), follow=True
    )

    assert "Select a valid choice." in response.content.decode()
    assert _absences() == []


def test_the_planner_deletes_an_absence(client, role_users):
    absence = DriverAbsence.objects.create(driver=role_users["driver"], starts_on=MONDAY, ends_on=MONDAY)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("driver_absence_delete", args=[absence.pk]))

    assert response.status_code == 302
    assert _absences() == []


# Vans


def test_the_planner_takes_a_van_out_of_planning_and_back(client, role_users):
    van = VehicleFactory()
    client.force_login(role_users["logistics_planner"])

    client.post(reverse("vehicle_availability", args=[van.pk]), {"available": "0"})
    van.refresh_from_db()
    assert van.is_available is False

    client.post(reverse("vehicle_availability", args=[van.pk]), {"available": "1"})
    van.refresh_from_db()
    assert van.is_available is True


@pytest.mark.parametrize("data", [{}, {"available": "maybe"}])
def test_a_van_is_not_changed_without_a_clear_yes_or_no(client, role_users, data):
    van = VehicleFactory()
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("vehicle_availability", args=[van.pk]), data, follow=True)

    assert "Say whether the van is available; nothing was changed." in response.content.decode()
    van.refresh_from_db()
    assert van.is_available is True


def test_the_planner_gives_a_van_its_usual_driver_or_none(client, role_users):
    van = VehicleFactory(driver=role_users["driver"])
    other = _driver("conductor2", "Luis")
    client.force_login(role_users["logistics_planner"])

    client.post(reverse("vehicle_driver", args=[van.pk]), {"driver": other.pk})
    van.refresh_from_db()
    assert van.driver == other

    client.post(reverse("vehicle_driver", args=[van.pk]), {"driver": ""})
    van.refresh_from_db()
    assert van.driver is None


def test_a_van_cannot_be_given_someone_who_does_not_drive(client, role_users):
    van = VehicleFactory(driver=role_users["driver"])
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("vehicle_driver", args=[van.pk]), {"driver": role_users["manager"].pk}, follow=True)

    assert "Select a valid choice." in response.content.decode()
    van.refresh_from_db()
    assert van.driver == role_users["driver"]


def test_a_driver_already_on_another_van_is_refused(client, role_users):
    first = VehicleFactory(name="Furgoneta A", driver=role_users["driver"])
    second = VehicleFactory(name="Furgoneta B")
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("vehicle_driver", args=[second.pk]), {"driver": role_users["driver"].pk}, follow=True
    )

    assert "already drives Furgoneta A" in response.content.decode()
    second.refresh_from_db()
    assert second.driver is None
    assert Vehicle.objects.get(pk=first.pk).driver == role_users["driver"]


# The page and who may use it


def test_the_planner_sees_vans_calendar_and_the_forms(client, role_users):
    van = VehicleFactory(name="Furgoneta A", driver=role_users["driver"], skills=["cold_chain"])
    DriverShift.objects.create(driver=role_users["driver"], weekday=0, start=T(9, 0), end=T(14, 0))
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("fleet"), {"from": MONDAY.isoformat()}).content.decode()

    assert "Furgoneta A" in page
    assert "Cold chain" in page
    assert "09:00–14:00" in page
    for url in (
        reverse("vehicle_driver", args=[van.pk]),
        reverse("vehicle_availability", args=[van.pk]),
        reverse("driver_shift_save", args=[role_users["driver"].pk]),
        reverse("driver_absence_add"),
    ):
        assert url in page


def test_the_manager_reads_the_fleet_without_forms(client, role_users):
    van = VehicleFactory(name="Furgoneta A", driver=role_users["driver"])
    absence = DriverAbsence.objects.create(
        driver=role_users["driver"], starts_on=timezone.localdate(), ends_on=timezone.localdate(), reason="médico"
    )
    client.force_login(role_users["manager"])

    page = client.get(reverse("fleet")).content.decode()

    assert "Furgoneta A" in page
    assert "absent (médico)" in page
    for url in (
        reverse("vehicle_driver", args=[van.pk]),
        reverse("vehicle_availability", args=[van.pk]),
        reverse("driver_shift_save", args=[role_users["driver"].pk]),
        reverse("driver_absence_add"),
        reverse("driver_absence_delete", args=[absence.pk]),
    ):
        assert url not in page


def test_a_bad_start_day_shows_the_two_weeks_from_today(client, role_users):
    client.force_login(role_users["logistics_planner"])

    response = client.get(reverse("fleet"), {"from": "2030-02-31"})

    assert response.context["start"] == timezone.localdate()


@pytest.mark.parametrize("role", ["manager", "driver", "social_worker", "intake_operator", "supplier_coordinator"])
def test_only_the_planner_changes_the_fleet(client, role_users, role):
    van = VehicleFactory(driver=role_users["driver"])
    absence = DriverAbsence.objects.create(driver=role_users["driver"], starts_on=MONDAY, ends_on=MONDAY)
    driver = role_users["driver"]
    client.force_login(role_users[role])

    posts = [
        (reverse("vehicle_availability", args=[van.pk]), {"available": "0"}),
        (reverse("vehicle_driver", args=[van.pk]), {"driver": ""}),
        (reverse("driver_shift_save", args=[driver.pk]), _week(mon="09:00-14:00")),
        (reverse("driver_absence_add"), _absence_data(driver, MONDAY, MONDAY + dt.timedelta(days=1))),
        (reverse("driver_absence_delete", args=[absence.pk]), {}),
    ]

    assert [client.post(url, data).status_code for url, data in posts] == [403] * 5
    van.refresh_from_db()
    assert (van.is_available, van.driver) == (True, driver)
    assert _shifts(driver) == []
    assert _absences() == [("driver", MONDAY, MONDAY, "")]


@pytest.mark.parametrize("role", ["driver", "social_worker", "intake_operator", "supplier_coordinator"])
def test_only_planners_and_managers_open_the_fleet_page(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(reverse("fleet")).status_code == 403
