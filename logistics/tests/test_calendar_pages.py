"""The delivery calendar page: a planner adds and removes local holidays and opens or closes a zone's or a
depot's delivery days; a manager reads it; other roles are refused (tests/test_role_matrix.py lists them all)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryDay, LocalHoliday
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def test_a_planner_adds_a_local_holiday_and_is_told_of_the_orders_on_it(client, role_users):
    approved_order(role_users)
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("local_holiday_add"), {"date": tomorrow().isoformat(), "name": "San Ginés"}, follow=True
    )

    assert response.redirect_chain[-1] == (reverse("delivery_calendar"), 302)
    assert list(LocalHoliday.objects.values_list("date", "name")) == [(tomorrow(), "San Ginés")]
    page = response.content.decode()
    assert "San Ginés" in page
    assert "1 open order already falls on it" in page


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"date": "", "name": "San Ginés"}, 400),
        ({"date": "2026-02-30", "name": "San Ginés"}, 400),
        ({"date": "TOMORROW", "name": ""}, 400),
        ({"date": "YESTERDAY", "name": "Ayer"}, 409),
    ],
)
def test_a_holiday_the_page_cannot_take_is_shown_again_with_why(client, role_users, data, status):
    client.force_login(role_users["logistics_planner"])
    days = {"TOMORROW": tomorrow(), "YESTERDAY": tomorrow() - dt.timedelta(days=2)}
    data = {**data, "date": days[data["date"]].isoformat() if data["date"] in days else data["date"]}

    response = client.post(reverse("local_holiday_add"), data)

    assert response.status_code == status
    assert response.context["holiday_form"].errors
    assert not LocalHoliday.objects.exists()


def test_a_planner_removes_a_local_holiday(client, role_users):
    holiday = LocalHoliday.objects.create(date=tomorrow(), name="San Ginés")
    client.force_login(role_users["logistics_planner"])

    assert client.post(reverse("local_holiday_remove", args=[holiday.pk])).status_code == 302
    assert not LocalHoliday.objects.exists()
    assert client.post(reverse("local_holiday_remove", args=[holiday.pk])).status_code == 404


def test_a_planner_closes_a_zones_weekday_and_is_told_of_the_orders_on_it(client, role_users):
    zone = ZoneFactory(name="Zona Norte")
    approved_order(role_users, household=HouseholdFactory(zone=zone))
    client.force_login(role_users["logistics_planner"])
    url = reverse("zone_delivery_days", args=[zone.pk])
    client.post(url, {"weekdays": [str(day) for day in range(7)]})

    response = client.post(url, {"weekdays": [str(d) for d in range(7) if d != tomorrow().weekday()]}, follow=True)

    assert response.status_code == 200
    assert set(DeliveryDay.objects.filter(zone=zone).values_list("weekday", flat=True)) == set(range(7)) - {
        tomorrow().weekday()
    }
    page = response.content.decode()
    assert "The delivery days of Zona Norte are saved." in page
    assert "1 open order already falls on it" in page


def test_a_planner_sets_a_depots_days_and_a_weekday_out_of_range_changes_nothing(client, role_users):
    depot = WarehouseFactory()
    client.force_login(role_users["logistics_planner"])
    url = reverse("depot_delivery_days", args=[depot.pk])

    assert client.post(url, {"weekdays": ["1", "4"]}).status_code == 302
    assert client.post(url, {"weekdays": ["1", "9"]}).status_code == 302

    assert set(DeliveryDay.objects.filter(warehouse=depot).values_list("weekday", flat=True)) == {1, 4}
    assert client.post(reverse("depot_delivery_days", args=[999_999]), {"weekdays": ["1"]}).status_code == 404


def test_a_manager_reads_the_calendar_without_the_forms(client, role_users):
    LocalHoliday.objects.create(date=tomorrow(), name="San Ginés")
    zone = ZoneFactory(name="Zona Norte")
    DeliveryDay.objects.create(zone=zone, weekday=1)
    client.force_login(role_users["manager"])

    page = client.get(reverse("delivery_calendar")).content.decode()

    assert "San Ginés" in page
    assert "Zona Norte" in page
    assert reverse("local_holiday_add") not in page
    assert reverse("zone_delivery_days", args=[zone.pk]) not in page


def test_the_fleet_page_links_to_the_calendar(client, role_users):
    client.force_login(role_users["logistics_planner"])

    assert reverse("delivery_calendar") in client.get(reverse("fleet")).content.decode()
