"""The board's map shows each van under way at the last position its driver shared, for those who may read the board
and on the depots it shows; a fix older than 10 minutes is marked stale."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from inventory.tests.factories import WarehouseFactory
from routing.tests.live_day_world import fix, live_day

pytestmark = pytest.mark.django_db


def _vans(client, **query):
    return client.get(reverse("board_vans"), {"date": tomorrow().isoformat(), **query})


@pytest.fixture
def day(role_users):
    day = live_day(role_users)
    fix(day["first"], at=timezone.now() - dt.timedelta(minutes=2), latitude=37.6123, longitude=-0.9811)
    fix(day["second"], at=timezone.now() - dt.timedelta(minutes=25))
    return day


def test_the_planner_sees_each_van_under_way_at_its_last_position(client, role_users, day):
    client.force_login(role_users["logistics_planner"])

    vans = {van["name"]: van for van in _vans(client).json()["vans"]}

    assert set(vans) == {"Furgoneta A", "Furgoneta B"}
    first = vans["Furgoneta A"]
    assert first["round"] == day["first"].pk
    assert first["point"] == [37.6123, -0.9811]
    assert first["stale"] is False
    assert first["time"] == timezone.localtime(timezone.now() - dt.timedelta(minutes=2)).strftime("%H:%M")
    assert first["label"] == f"Furgoneta A at {first['time']}"
    assert vans["Furgoneta B"]["stale"] is True
    assert "more than 10 minutes ago" in vans["Furgoneta B"]["label"]


def test_only_the_latest_fix_of_a_van_is_shown(client, role_users, day):
    fix(day["first"], at=timezone.now() - dt.timedelta(minutes=1), latitude=37.7)
    client.force_login(role_users["logistics_planner"])

    vans = [van for van in _vans(client).json()["vans"] if van["name"] == "Furgoneta A"]

    assert [van["point"][0] for van in vans] == [37.7]


def test_a_manager_reads_the_vans_too(client, role_users, day):
    client.force_login(role_users["manager"])

    assert len(_vans(client).json()["vans"]) == 2


@pytest.mark.parametrize("role", ["driver", "social_worker", "intake_operator", "supplier_coordinator"])
def test_other_roles_are_refused(client, role_users, day, role):
    client.force_login(role_users[role])

    assert _vans(client).status_code == 403


def test_the_depots_shown_narrow_the_vans(client, role_users, day):
    north = WarehouseFactory(code="norte", name="Almacén norte")
    Round.objects.filter(pk=day["second"].pk).update(depot=north)
    client.force_login(role_users["logistics_planner"])

    shown = [van["name"] for van in _vans(client, depot=north.pk).json()["vans"]]

    assert shown == ["Furgoneta B"]


def test_a_round_whose_stops_are_all_done_is_no_longer_shown(client, role_users, day):
    Stop.objects.filter(round=day["second"]).update(outcome=Stop.Outcome.DELIVERED, recorded_at=timezone.now())
    client.force_login(role_users["logistics_planner"])

    assert [van["name"] for van in _vans(client).json()["vans"]] == ["Furgoneta A"]


def test_a_draft_plan_has_no_vans(client, role_users, day):
    day["run"].published_at = None
    day["run"].save(update_fields=["published_at"])
    client.force_login(role_users["logistics_planner"])

    assert _vans(client).json() == {"vans": []}


def test_the_board_asks_for_the_vans_only_once_the_plan_is_published(client, role_users, day):
    client.force_login(role_users["logistics_planner"])
    url = reverse("planning") + f"?date={tomorrow().isoformat()}"

    assert 'data-vans-url="/planning/vans/?' in client.get(url).content.decode()
    day["run"].published_at = None
    day["run"].save(update_fields=["published_at"])
    assert "data-vans-url" not in client.get(url).content.decode()
