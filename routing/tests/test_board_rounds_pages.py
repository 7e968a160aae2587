"""A large day's board: each round's stop table fetched on its own, the map's data apart from the page, and the
rounds' heads counted and summed in the database, saying and warning what the stops themselves would."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Stop
from inventory.tests.factories import WarehouseFactory
from logistics.models import Vehicle
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import ZoneFactory
from routing.board import run_warnings
from routing.models import PlanningRun
from routing.tests.board_world import at as _at
from routing.tests.board_world import finished_run as _run
from routing.tests.board_world import two_van_draft
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(role_users):
    """A finished draft for tomorrow: van A with two stops, van B with one, both from one depot."""
    return two_van_draft(role_users)


@pytest.fixture
def large(monkeypatch):
    """Two stops are a large day."""
    monkeypatch.setattr("routing.board_selectors.BOARD_OPEN_STOPS", 2)


def _table(client, user, round_id: int, **query):
    client.force_login(user)
    return client.get(reverse("board_round_stops", args=[round_id]), query)


def _rows(html: str) -> list[str]:
    """The household of each row of a stop table, in order."""
    body = re.search(r'<table class="stops">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row)[1] for row in re.findall(r"<tr.*?</tr>", body, re.S)]


# The round's stop table


def test_a_planner_gets_the_rounds_stop_table_with_its_buttons(client, role_users, plan):
    first, orders = plan["first"], plan["orders"]

    response = _table(client, role_users["logistics_planner"], first.pk)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment, put in place by board.js
    assert _rows(html) == [orders[0].household.full_name, orders[1].household.full_name]
    assert f'id="round-{first.pk}-stops"' in html
    assert f'id="round-{first.pk}-move"' in html
    assert html.count('name="locked"') == 2
    assert re.search(r'<button type="submit" class="lock"[^>]*value="1">', html)  # live, not disabled
    assert f'<option value="{plan["second"].pk}">Furgoneta B</option>' in html  # the depot's other round


def test_the_table_is_the_one_the_board_lists_for_that_round(client, role_users, plan, large):
    first = plan["first"]
    client.force_login(role_users["logistics_planner"])
    board = client.get(reverse("planning"), {"date": tomorrow().isoformat(), "round": first.pk}).content.decode()

    html = _table(client, role_users["logistics_planner"], first.pk).content.decode()

    listed = re.search(rf'<form method="post" id="round-{first.pk}-stops">.*?</form>', board, re.S).group(0)
    fetched = re.search(rf'<form method="post" id="round-{first.pk}-stops">.*?</form>', html, re.S).group(0)
    token = r'name="csrfmiddlewaretoken" value="[^"]+"'
    assert re.sub(token, "", fetched) == re.sub(token, "", listed)


def test_a_manager_reads_the_table_with_every_button_disabled(client, role_users, plan):
    html = _table(client, role_users["manager"], plan["first"].pk).content.decode()

    assert 'class="move"' not in html
    assert len(re.findall(r'<button type="submit" class="lock"[^>]*disabled>', html)) == 2
    assert len(re.findall(r'class="step"[^>]*disabled>', html)) == 4


def test_a_published_plans_table_locks_but_moves_nothing(client, role_users, plan):
    PlanningRun.objects.filter(pk=plan["run"].pk).update(published_at=timezone.now())

    html = _table(client, role_users["logistics_planner"], plan["first"].pk).content.decode()

    assert 'class="move"' not in html
    assert len(re.findall(r'class="step"[^>]*disabled>', html)) == 4
    assert re.search(r'<button type="submit" class="lock"[^>]*value="1">', html)


def test_while_the_day_is_planned_again_no_button_is_live(client, role_users, plan):
    PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], status=PlanningRun.Status.RUNNING
    )

    html = _table(client, role_users["logistics_planner"], plan["first"].pk).content.decode()

    assert len(re.findall(r'<button type="submit" class="lock"[^>]*disabled>', html)) == 2


def test_the_depots_shown_are_kept_by_the_tables_forms(client, role_users, plan):
    depot = plan["first"].depot

    html = _table(client, role_users["logistics_planner"], plan["first"].pk, depot=depot.pk).content.decode()

    assert html.count(f'<input type="hidden" name="depot" value="{depot.pk}">') == 2  # move form and stops form


def test_a_planner_on_one_zones_list_gets_every_stop_as_the_board_shows_them(client, role_users, plan):
    # The board is not narrowed by zone (a van crosses zones), so neither is a round's table.
    ZoneFactory().social_workers.add(role_users["logistics_planner"])

    html = _table(client, role_users["logistics_planner"], plan["first"].pk).content.decode()

    assert len(_rows(html)) == 2


def test_a_driver_is_refused_the_table(client, role_users, plan):
    # The driver of that very round: a driver reads their round on the driver's page, not the board.
    assert _table(client, role_users["driver"], plan["first"].pk).status_code == 403


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "supplier_coordinator"])
def test_roles_that_do_not_read_the_board_are_refused_the_table(client, role_users, plan, role):
    assert _table(client, role_users[role], plan["first"].pk).status_code == 403


def test_signing_in_comes_first(client, plan):
    response = client.get(reverse("board_round_stops", args=[plan["first"].pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_round_is_not_found(client, role_users, plan):
    assert _table(client, role_users["logistics_planner"], plan["second"].pk + 100).status_code == 404


def test_a_round_of_a_plan_the_board_no_longer_shows_is_not_found(client, role_users, plan):
    _run(role_users)  # planned again since: the board shows the newer plan

    assert _table(client, role_users["logistics_planner"], plan["first"].pk).status_code == 404


def test_the_table_is_only_read(client, role_users, plan):
    client.force_login(role_users["logistics_planner"])

    assert client.post(reverse("board_round_stops", args=[plan["first"].pk])).status_code == 405


# A large day's board


def test_a_large_days_closed_round_links_its_table_for_board_js(client, role_users, plan, large):
    first = plan["first"]
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    url = f"{reverse('board_round_stops', args=[first.pk])}?date={tomorrow().isoformat()}"
    assert f'data-open-url="{url}" href="?date={tomorrow().isoformat()}&amp;round={first.pk}#round-{first.pk}"' in page


def test_a_large_days_heads_say_and_warn_what_the_stops_would(client, role_users, plan, large):
    first = plan["first"]
    late = Stop.objects.get(round=first, sequence=2)
    Stop.objects.filter(pk=late.pk).update(arrival_at=_at(14, 30), outcome=Stop.Outcome.DELIVERED)
    Vehicle.objects.filter(pk=first.vehicle_id).update(capacity_packs=1)
    client.force_login(role_users["logistics_planner"])
    url = reverse("planning")

    closed = client.get(url, {"date": tomorrow().isoformat()}).context
    opened = client.get(url, {"date": tomorrow().isoformat(), "round": "all"}).context

    heads = ("count", "load_packs", "load_kg", "visited", "warnings")
    summed = {row["round"].pk: {key: row[key] for key in heads} for row in closed["rounds"]}
    assert not any(row["open"] for row in closed["rounds"])
    assert summed == {row["round"].pk: {key: row[key] for key in heads} for row in opened["rounds"]}
    assert {pk: head["warnings"] for pk, head in summed.items()} == run_warnings(plan["run"])
    assert summed[first.pk]["visited"] == 1
    assert f"Stop 2, {late.order.household.full_name}: arrives at 14:30" in summed[first.pk]["warnings"][0]


def test_a_large_days_board_reads_as_many_queries_for_more_stops(client, role_users, plan, large):
    client.force_login(role_users["logistics_planner"])
    url = f"{reverse('planning')}?date={tomorrow().isoformat()}"
    client.get(url)  # warm: the session's first request, templates and translations
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    for sequence in range(3, 9):
        order = approved_order(role_users)[0]
        Stop.objects.create(round=plan["first"], order=order, sequence=sequence, arrival_at=_at(10, sequence))

    with CaptureQueriesContext(connection) as nine:
        client.get(url)

    assert len(nine.captured_queries) == len(three.captured_queries)
    # No stop is read one by one, nor every stop of the day as a row.
    assert not [q for q in nine.captured_queries if q["sql"].startswith('SELECT "routing_stop"."id"')]


# A large day's map


def test_the_map_gives_every_round_with_its_numbered_stops(client, role_users, plan):
    first, second = plan["first"], plan["second"]
    client.force_login(role_users["logistics_planner"])

    data = client.get(reverse("board_map"), {"date": tomorrow().isoformat()}).json()

    assert [(r["id"], r["name"], [s["sequence"] for s in r["stops"]]) for r in data["rounds"]] == [
        (first.pk, "Furgoneta A", [1, 2]),
        (second.pk, "Furgoneta B", [1]),
    ]
    name = plan["orders"][0].household.full_name
    assert data["rounds"][0]["stops"][0] == {
        "sequence": 1,
        "point": [37.605, -0.985],
        "label": f"Furgoneta A · 1. {name} · 09:15",
    }
    assert data["depots"] == [{"name": "Almacén central", "point": [37.6196, -0.965]}]


def test_the_map_of_a_depot_shows_its_rounds_alone(client, role_users, plan):
    north = WarehouseFactory(code="norte", name="Almacén norte", latitude="37.630000", longitude="-0.990000")
    client.force_login(role_users["logistics_planner"])

    data = client.get(reverse("board_map"), {"date": tomorrow().isoformat(), "depot": north.pk}).json()

    assert data["rounds"] == []
    assert data["depots"] == [{"name": "Almacén norte", "point": [37.63, -0.99]}]


def test_a_day_without_a_plan_maps_its_depots_alone(client, role_users):
    VehicleFactory()
    client.force_login(role_users["logistics_planner"])

    data = client.get(reverse("board_map"), {"date": tomorrow().isoformat()}).json()

    assert (data["rounds"], len(data["depots"])) == ([], 1)


def test_a_driver_is_refused_the_map(client, role_users, plan):
    client.force_login(role_users["driver"])

    assert client.get(reverse("board_map"), {"date": tomorrow().isoformat()}).status_code == 403
