"""What a planner's walk of the board found missing: the round's planned break between its stops, a pickup's
outcome in pickup words, whose medication a pickup collects, the objective the day was planned for kept in the
selector, the shortages' and the round head's counts each plural on its own."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.models import Stop
from routing.models import PlanningRun
from routing.tests.board_world import at, two_van_draft
from routing.tests.pharmacy_world import medication_day, pharmacy_open
from routing.tests.town import town_order, town_plan

pytestmark = pytest.mark.django_db


def _board(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()


def _table(client, user, round_id: int) -> str:
    client.force_login(user)
    return client.get(reverse("board_round_stops", args=[round_id])).content.decode()


def _rows(html: str, round_id: int) -> list[tuple[str, list[str]]]:
    """Each row of the round's stop table: its class (or "") and its cells as text."""
    body = re.search(rf'id="round-{round_id}-stops".*?<tbody[^>]*>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for attributes, inner in re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S):
        kind = re.search(r'class="([^"]*)"', attributes)
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", inner, re.S)]
        rows.append((kind.group(1) if kind else "", cells))
    return rows


def _head(html: str, round_id: int) -> str:
    card = re.search(rf'id="round-{round_id}".*?class="round-head">(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


# The planned break


@pytest.fixture
def with_break(role_users):
    """The two-van draft whose first round (stops at 09:15 and 09:30) pauses 15 minutes at 09:20."""
    plan = two_van_draft(role_users)
    first = plan["first"]
    first.depot.break_minutes = 15
    first.depot.save(update_fields=["break_minutes"])
    first.break_at = at(9, 20)
    first.save(update_fields=["break_at"])
    return plan


def test_the_break_is_listed_between_the_stops_it_falls_between(client, role_users, with_break):
    first = with_break["first"]

    html = _board(client, role_users["logistics_planner"])

    rows = _rows(html, first.pk)
    assert [(kind, cells[0]) for kind, cells in rows] == [
        ("", "1"),
        ("break-row", ""),
        ("", "2"),
    ]
    assert rows[1][1][1] == "Break 09:20–09:35"
    assert "Break 09:20–09:35" in _head(html, first.pk)


def test_the_round_table_fetched_apart_lists_the_break_too(client, role_users, with_break):
    first = with_break["first"]

    rows = _rows(_table(client, role_users["logistics_planner"], first.pk), first.pk)

    assert [kind for kind, _cells in rows] == ["", "break-row", ""]


def test_a_break_after_the_last_stop_closes_the_list(client, role_users, with_break):
    first = with_break["first"]
    first.break_at = at(9, 45)
    first.save(update_fields=["break_at"])

    rows = _rows(_board(client, role_users["logistics_planner"]), first.pk)

    assert [kind for kind, _cells in rows] == ["", "", "break-row"]
    assert rows[-1][1][1] == "Break 09:45–10:00"


def test_the_break_row_spans_the_table_and_is_no_stop_to_drag(client, role_users, with_break):
    first = with_break["first"]

    html = _table(client, role_users["logistics_planner"], first.pk)

    row = re.search(r'<tr class="break-row">.*?</tr>', html, re.S).group(0)
    assert "data-sequence" not in row
    assert "draggable" not in row
    columns = len(re.findall(r"<th", re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)))
    spans = sum(int(n) for n in re.findall(r'colspan="(\d+)"', row)) + row.count("<td>")
    assert spans == columns


def test_a_round_without_a_break_shows_none(client, role_users, with_break):
    second = with_break["second"]

    html = _board(client, role_users["logistics_planner"])

    assert [kind for kind, _cells in _rows(html, second.pk)] == [""]
    assert "Break" not in _head(html, second.pk)


# Pharmacy pickups


@pytest.fixture
def two_pickups(role_users):
    """One pharmacy, two medication orders against two prescriptions, and a plain order, planned on one van."""
    pharmacy = pharmacy_open(name="Farmacia Central")
    day = medication_day(role_users, pharmacy)
    plan = day["medication"].plan
    plan.prescription_ref = "RX-0001"
    plan.save(update_fields=["prescription_ref"])
    day["second"] = town_order(
        role_users, day["zone"], day["pack"], offset=2, pharmacy=pharmacy, prescription_ref="RX-0002"
    )
    day["run"] = town_plan(role_users)
    day["pickups"] = {
        stop.order_id: stop for stop in Stop.objects.filter(kind=Stop.Kind.PICKUP).select_related("order__household")
    }
    return day


def _by_sequence(client, role_users, round_id: int) -> dict[str, list[str]]:
    rows = _rows(_table(client, role_users["logistics_planner"], round_id), round_id)
    return {cells[0]: cells for kind, cells in rows if kind != "break-row"}


def test_each_pickup_says_for_whom_and_against_which_prescription(client, role_users, two_pickups):
    first = two_pickups["pickups"][two_pickups["medication"].pk]
    second = two_pickups["pickups"][two_pickups["second"].pk]

    rows = _by_sequence(client, role_users, first.round_id)

    household = two_pickups["medication"].household.full_name
    assert rows[str(first.sequence)][2] == f"Pharmacy pickup: Farmacia Central Prescription RX-0001 · for {household}"
    other = two_pickups["second"].household.full_name
    assert rows[str(second.sequence)][2] == f"Pharmacy pickup: Farmacia Central Prescription RX-0002 · for {other}"


def test_a_medication_delivery_says_where_the_medication_comes_from(client, role_users, two_pickups):
    order = two_pickups["medication"]
    pickup = two_pickups["pickups"][order.pk]
    delivery = Stop.objects.get(order=order, kind=Stop.Kind.DELIVERY)
    plain = Stop.objects.get(order=two_pickups["plain"])

    rows = _by_sequence(client, role_users, delivery.round_id)

    assert f"Medication from Farmacia Central (picked up at stop {pickup.sequence})" in rows[str(delivery.sequence)][5]
    assert "Medication" not in rows[str(plain.sequence)][5]


@pytest.mark.parametrize(
    ("outcome", "pickup_says", "delivery_says"),
    [
        (Stop.Outcome.PENDING, "To pick up", "To deliver"),
        (Stop.Outcome.DELIVERED, "Picked up", "Delivered"),
        (Stop.Outcome.FAILED, "Not picked up", "Not delivered"),
    ],
)
def test_a_pickups_outcome_is_said_in_pickup_words(
    client, role_users, two_pickups, outcome, pickup_says, delivery_says
):
    order = two_pickups["medication"]
    reason = Stop.FailureReason.NOT_HOME if outcome == Stop.Outcome.FAILED else ""
    Stop.objects.filter(order=order).update(outcome=outcome, failure_reason=reason)
    pickup = two_pickups["pickups"][order.pk]
    delivery = Stop.objects.get(order=order, kind=Stop.Kind.DELIVERY)

    rows = _by_sequence(client, role_users, pickup.round_id)

    assert rows[str(pickup.sequence)][6] == pickup_says
    assert rows[str(delivery.sequence)][6] == delivery_says


def test_the_round_head_counts_deliveries_and_pickups_in_one_sentence(client, role_users, two_pickups):
    round_id = two_pickups["pickups"][two_pickups["medication"].pk].round_id

    head = _head(_board(client, role_users["logistics_planner"]), round_id)

    assert re.search(r"3 deliveries and 2 pharmacy pickups, [\d.,]+ km, \d\d:\d\d–\d\d:\d\d", head), head
    assert "· and" not in head


def test_the_stop_table_reads_as_many_queries_for_more_medication_orders(client, role_users, two_pickups):
    round_id = two_pickups["pickups"][two_pickups["medication"].pk].round_id
    client.force_login(role_users["logistics_planner"])
    url = reverse("board_round_stops", args=[round_id])
    client.get(url)  # the session and permissions read once
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    third = town_order(role_users, two_pickups["zone"], two_pickups["pack"], offset=3, pharmacy=two_pickups["pharmacy"])
    count = Stop.objects.filter(round_id=round_id).count()
    Stop.objects.create(round_id=round_id, order=third, kind=Stop.Kind.PICKUP, sequence=count + 1, arrival_at=at(12))
    Stop.objects.create(round_id=round_id, order=third, sequence=count + 2, arrival_at=at(12, 20))

    with CaptureQueriesContext(connection) as three:
        html = client.get(url).content.decode()

    assert f"for {third.household.full_name}" in html
    assert len(three) == len(two)


# The objective selector


@pytest.mark.parametrize("objective", [PlanningRun.Objective.DISTANCE, PlanningRun.Objective.BALANCED])
def test_the_selector_offers_the_objective_the_plan_was_made_for(client, role_users, objective):
    two_van_draft(role_users, objective=objective)

    html = _board(client, role_users["logistics_planner"])

    selected = re.findall(
        r'<option value="(\w+)"[^>]*\bselected\b',
        re.search(r'<select name="objective".*?</select>', html, re.S).group(0),
    )
    assert selected == [objective]


def test_without_a_plan_the_selector_offers_the_default(client, role_users):
    html = _board(client, role_users["logistics_planner"])

    select = re.search(r'<select name="objective".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"[^>]*\bselected\b', select) == [PlanningRun.Objective.VANS]


# Shortages: each number agrees on its own


def test_the_shortage_counts_are_each_plural_on_their_own(monkeypatch):
    asked = []
    from django.utils import translation

    real = translation.ngettext

    def recording(singular, plural, number):
        asked.append((singular, number))
        return real(singular, plural, number)

    monkeypatch.setattr(translation, "ngettext", recording)
    shortages = [SimpleNamespace(item="Leche", needed=4, available=1)]

    html = render_to_string("routing/_shortages.html", {"shortages": shortages})

    assert "Leche (needs 4, 1 free)" in html
    assert ("needs %(counter)s", 4) in asked
    assert ("%(counter)s free", 1) in asked


def test_no_shortage_says_nothing():
    assert render_to_string("routing/_shortages.html", {"shortages": []}).strip() == ""
