"""Ids and days from query strings and posted forms: a tampered or absurd value is a default or a form error, never a
server error (core.params)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.params import DAY_MAX, DAY_MIN, ID_MAX, day_param, id_param
from inventory.counts import count_start
from inventory.ledger import lot_receive
from inventory.models import StockCount
from inventory.tests.factories import ItemFactory, WarehouseFactory

TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (str(ID_MAX), ID_MAX),
        (str(ID_MAX + 1), None),
        ("99999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("4 2", None),
        ("²", None),
        ("٤٢", None),
        ("", None),
        (None, None),
        (["42"], None),
    ],
)
def test_an_id_is_plain_digits_within_the_databases_range(value, expected):
    assert id_param(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-17", dt.date(2026, 5, 17)),
        (DAY_MIN.isoformat(), DAY_MIN),
        (DAY_MAX.isoformat(), DAY_MAX),
        ("9999-12-31", TODAY),
        ("0001-01-01", TODAY),
        ("1999-12-31", TODAY),
        ("2026-02-30", TODAY),
        ("tomorrow", TODAY),
        ("", TODAY),
        (None, TODAY),
    ],
)
def test_a_day_outside_the_years_pages_can_step_through_is_the_default(value, expected):
    assert day_param(value, TODAY) == expected


pytestmark_db = pytest.mark.django_db


@pytestmark_db
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2999-12-31"])
def test_the_fleet_calendar_far_from_today_shows_a_page(client, role_users, start):
    client.force_login(role_users["logistics_planner"])

    response = client.get(reverse("fleet"), {"from": start})

    assert response.status_code == 200
    expected = timezone.localdate() if start != "2999-12-31" else dt.date(2999, 12, 31)
    assert response.context["start"] == expected


@pytestmark_db
def test_the_board_with_a_depot_id_past_64_bits_reports_it_and_shows_every_depot(client, role_users):
    WarehouseFactory()
    client.force_login(role_users["logistics_planner"])

    response = client.get(reverse("planning"), {"depot": "99999999999999999999"})

    assert response.status_code == 200
    filters = response.context["filters"]
    assert [error.code for error in filters.errors.as_data()["depot"]] == ["invalid_pk_value"]
    assert filters.depots == []


@pytestmark_db
def test_the_board_with_a_round_id_past_64_bits_says_there_is_no_such_round(client, role_users):
    client.force_login(role_users["logistics_planner"])

    response = client.get(reverse("planning"), {"round": "99999999999999999999"})

    assert response.status_code == 200
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "There is no round “99999999999999999999”: choose a round on the board."
    ]


@pytest.fixture
def counted_shelf(role_users):
    """A warehouse with two lots and a draft count of them; a second warehouse with its own count."""
    actor = role_users["supplier_coordinator"]
    central, north = WarehouseFactory(), WarehouseFactory(code="north", name="Almacén norte")
    for warehouse, code in ((central, "R1"), (central, "O1"), (north, "N1")):
        lot_receive(actor=actor, item=ItemFactory(), warehouse=warehouse, lot_code=code, quantity=5, expiry_date=None)
    today = timezone.localdate()
    return {
        "central": central,
        "count": count_start(actor=actor, warehouse=central, counted_on=today),
        "other": count_start(actor=actor, warehouse=north, counted_on=today),
    }


@pytestmark_db
def test_starting_a_count_with_an_item_id_past_64_bits_is_a_form_error(client, role_users, counted_shelf):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(
        reverse("stock_counts"),
        {
            "warehouse": counted_shelf["central"].pk,
            "counted_on": timezone.localdate().isoformat(),
            "items": "99999999999999999999",
        },
    )

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["items"]] == ["invalid_pk_value"]
    assert StockCount.objects.count() == 2


def _lines_post(count: StockCount, counted: int = 1) -> dict:
    lines = list(count.lines.order_by("lot__item__sku", "lot__lot_code"))
    data = {"action": "save", "lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": len(lines)}
    for index, line in enumerate(lines):
        data |= {f"lines-{index}-id": line.pk, f"lines-{index}-counted": counted, f"lines-{index}-reason": line.reason}
    return data


def _tampered(data: dict, shelf: dict, how: str) -> dict:
    other_line = shelf["other"].lines.get().pk
    first_id = data["lines-0-id"]
    changes = {
        "another_counts_line": {"lines-0-id": other_line},
        "not_a_number": {"lines-0-id": "abc"},
        "past_64_bits": {"lines-0-id": "99999999999999999999"},
        "missing_line": {"lines-0-id": "999999"},
        "blank": {"lines-0-id": ""},
        "one_line_twice": {"lines-1-id": first_id},
        "an_extra_row": {"lines-TOTAL_FORMS": 3, "lines-2-counted": 4, "lines-2-reason": "count"},
        "more_initial_rows_than_lines": {"lines-TOTAL_FORMS": 3, "lines-INITIAL_FORMS": 3, "lines-2-counted": 4},
        "no_management_form": {"lines-TOTAL_FORMS": "", "lines-INITIAL_FORMS": ""},
    }[how]
    return data | changes


@pytestmark_db
@pytest.mark.parametrize(
    "how",
    [
        "another_counts_line",
        "not_a_number",
        "past_64_bits",
        "missing_line",
        "blank",
        "one_line_twice",
        "an_extra_row",
        "more_initial_rows_than_lines",
        "no_management_form",
    ],
)
def test_a_tampered_count_page_is_refused_with_a_message_and_saves_nothing(client, role_users, counted_shelf, how):
    count, other = counted_shelf["count"], counted_shelf["other"]
    client.force_login(role_users["supplier_coordinator"])
    url = reverse("stock_count_detail", args=[count.pk])

    response = client.post(url, _tampered(_lines_post(count), counted_shelf, how))

    assert (response.status_code, response["Location"]) == (302, url)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"The lines sent do not match count {count.pk}; nothing was saved. Reload the page and enter the counts."
    ]
    assert sorted(count.lines.values_list("counted", flat=True)) == [5, 5]
    assert other.lines.get().counted == 5


@pytestmark_db
def test_the_count_page_as_sent_still_saves(client, role_users, counted_shelf):
    count = counted_shelf["count"]
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("stock_count_detail", args=[count.pk]), _lines_post(count, counted=3))

    assert response.status_code == 302
    assert sorted(count.lines.values_list("counted", flat=True)) == [3, 3]
