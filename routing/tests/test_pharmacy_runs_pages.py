"""Pharmacy runs on the planning board: a pickup is listed at its pharmacy with the opening span it is planned
in, drawn there on the map, and not counted among the round's stops (deliveries)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.models import Stop
from routing.tests.pharmacy_world import medication_day, pharmacy_open
from routing.tests.town import town_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(role_users):
    pharmacy = pharmacy_open([(dt.time(9), dt.time(10)), (dt.time(11), dt.time(13))], name="Farmacia Central")
    day = medication_day(role_users, pharmacy)
    day["run"] = town_plan(role_users)
    day["pickup"] = Stop.objects.get(order=day["medication"], kind=Stop.Kind.PICKUP)
    return day


def _rows(html: str, round_id: int) -> list[list[str]]:
    """The cells of each row of the round's stop table, as text."""
    table = re.search(rf'id="round-{round_id}-stops".*?<tbody[^>]*>(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr.*?</tr>", table, re.S)
    ]


def test_the_round_lists_the_pickup_at_its_pharmacy_with_the_span_it_is_planned_in(client, role_users, planned):
    pickup = planned["pickup"]
    client.force_login(role_users["logistics_planner"])

    html = client.get(reverse("board_round_stops", args=[pickup.round_id])).content.decode()

    rows = {row[0]: row for row in _rows(html, pickup.round_id)}
    row = rows[str(pickup.sequence)]
    assert row[2].startswith("Pharmacy pickup: Farmacia Central")  # then for whom (test_board_walk_fixes_pages)
    assert row[3] == planned["pharmacy"].address
    assert row[4] in ("09:00–10:00", "11:00–13:00")
    assert row[5] == ""  # no packs: they ride with the delivery
    households = [r[2] for r in rows.values() if not r[2].startswith("Pharmacy pickup")]
    assert sorted(households) == sorted(
        [planned["medication"].household.full_name, planned["plain"].household.full_name]
    )


def test_the_round_head_counts_deliveries_and_names_the_pickups_apart(client, role_users, planned):
    client.force_login(role_users["logistics_planner"])

    html = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    head = re.search(r'class="round-head">(.*?)</div>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", head).split())
    assert "2 deliveries and 1 pharmacy pickup," in text
    assert "2 packs," in text  # one per order: the pickup adds nothing to the load


def test_the_map_draws_the_pickup_at_the_pharmacy(client, role_users, planned):
    client.force_login(role_users["logistics_planner"])

    data = client.get(reverse("board_map"), {"date": tomorrow().isoformat()}).json()

    (round_,) = data["rounds"]
    pickup = next(s for s in round_["stops"] if s["sequence"] == planned["pickup"].sequence)
    assert pickup["point"] == [float(planned["pharmacy"].latitude), float(planned["pharmacy"].longitude)]
    assert "Pharmacy pickup: Farmacia Central" in pickup["label"]
    assert len(round_["stops"]) == 3


def test_a_driver_does_not_get_the_rounds_stop_table(client, role_users, planned):
    client.force_login(role_users["driver"])

    response = client.get(reverse("board_round_stops", args=[planned["pickup"].round_id]))

    assert response.status_code == 403
