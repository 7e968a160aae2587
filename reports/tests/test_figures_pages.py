"""The manager's figures page and its CSV and XLSX downloads, on the hand-built fortnight of conftest.py."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.metrics import default_period
from reports.selectors import manager_figures
from reports.tables import figures_tables
from reports.tests.fortnight import FORTNIGHT

pytestmark = pytest.mark.django_db


FORTNIGHT_QUERY = {"first": "2026-03-02", "last": "2026-03-15"}


def test_the_page_shows_the_figures_and_charts_for_the_period_asked(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), {**FORTNIGHT_QUERY, "zone": world.casco.code})

    assert response.status_code == 200
    assert response.context["figures"].period == FORTNIGHT
    assert response.context["figures"].zone == world.casco
    page = response.content.decode()
    assert "Requests received per week" in page
    assert "Visits per day: delivered and not delivered" in page
    assert page.count("<svg") == 2
    assert "2026-W10" in page
    assert "Casco Antiguo" in page
    assert f"/figures/export.csv/?first=2026-03-02&amp;last=2026-03-15&amp;zone={world.casco.code}" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2026-03-15", "last": "2026-03-02"}, "before it starts"),
        ({"first": "2025-01-01", "last": "2026-01-02"}, "runs 367 days"),
        ({"first": "2026-02-30", "last": "2026-03-15"}, "Enter a valid date."),
        ({"zone": "nowhere"}, "Select a valid choice."),
    ],
)
def test_a_bad_period_or_zone_shows_the_error_and_the_default_period(client, role_users, query, message):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Showing the last four weeks" in response.content.decode()
    assert response.context["figures"].period == default_period(timezone.localdate())
    assert response.context["figures"].zone is None


def test_the_page_opens_with_the_last_four_weeks(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"))

    assert response.status_code == 200
    assert response.context["figures"].period == default_period(timezone.localdate())
    assert "Showing the last four weeks" not in response.content.decode()


def test_the_page_shows_the_satisfaction_section_with_its_chart(client, role_users, surveys):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), FORTNIGHT_QUERY)

    page = response.content.decode()
    assert page.count("<svg") == 3
    assert "Satisfaction: answers per score" in page
    assert 'id="table-comments"' in page
    assert "Muy amables, gracias." in page
    assert "5 · Very good" in page


def test_the_page_reads_a_bounded_number_of_queries(client, role_users, world, django_assert_max_num_queries):
    client.force_login(role_users["manager"])
    # A session's first request fixes its expiry (three queries of the idle-timeout middleware), not the page's cost.
    client.get(reverse("figures"), FORTNIGHT_QUERY)

    # 25 for the figures, 2 for the first level (requests closed at intake by topic, the complaints register), 7 for
    # the budgets card (packs with their items, the year's order lines, recurring plans with their lines, budgets,
    # alerts), 1 for the first responses to requesters' messages: none of them grows with the data.
    with django_assert_max_num_queries(35):
        response = client.get(reverse("figures"), FORTNIGHT_QUERY)

    assert response.status_code == 200


def _csv_sections(content: bytes) -> dict[str, list[str]]:
    sections = {}
    for block in content.decode("utf-8-sig").split("\r\n\r\n"):
        lines = [line for line in block.split("\r\n") if line]
        if lines:
            sections[lines[0]] = lines[1:]
    return sections


def test_the_csv_export_holds_every_table_separated_by_semicolons(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["csv"]), FORTNIGHT_QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures-2026-03-02-2026-03-15.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    sections = _csv_sections(response.content)
    titles = [table.title for table in figures_tables(manager_figures(period=FORTNIGHT))]
    assert list(sections) == titles
    assert sections["Requests by channel"][:3] == ["Channel;Requests;Share (%)", "Phone;3;50.0", "E-mail;1;16.7"]
    assert sections["Requests by week"][1:] == ["2026-W10;2026-03-02;2026-03-08;4", "2026-W11;2026-03-09;2026-03-15;2"]
    assert "Received → decided;5;24.0;177.6;1.0;7.4" in sections["Time to decision and delivery"]
    assert "Km per delivery (all zones);10.0" in sections["Summary"]
    assert "Households served (unduplicated);2" in sections["Summary"]
    assert "2026-03-11;0;1;100.0;0" in sections["Deliveries per day"]


def test_the_csv_export_holds_the_satisfaction_section_and_keeps_formulas_as_text(client, role_users, surveys):
    client.force_login(role_users["manager"])

    sections = _csv_sections(client.get(reverse("figures_export", args=["csv"]), FORTNIGHT_QUERY).content)

    assert sections["Satisfaction"] == [
        "Figure;Value",
        "Surveys sent;5",
        "Surveys answered;4",
        "Response rate (%);80.0",
        "Average score (1 to 5);4.0",
        "Arrived in the time we gave (%);66.7",
    ]
    assert sections["Satisfaction scores"] == [
        "Score;Answers;Share (%)",
        "1 · Very bad;0;0.0",
        "2 · Bad;1;25.0",
        "3 · Fair;0;0.0",
        "4 · Good;1;25.0",
        "5 · Very good;2;50.0",
    ]
    assert sections["Latest comments"] == [
        "Answered on;Score;On time;Comment",
        "2026-03-16;2;Yes;'=1+2 suma",  # a leading apostrophe: a spreadsheet shows it, never runs it
        "2026-03-11;5;;Recogido\x01 sin esperas.",
        "2026-03-03;5;Yes;Muy amables, gracias.",
    ]


def test_the_xlsx_export_keeps_comments_as_plain_text(client, role_users, surveys):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), FORTNIGHT_QUERY)

    sheet = load_workbook(io.BytesIO(response.content))["Latest comments"]
    assert [cell.value for cell in sheet[2]][1:] == [2, "Yes", "=1+2 suma"]
    assert sheet["D2"].data_type == "s"  # text, not a formula
    assert sheet["D3"].value == "Recogido sin esperas."  # a control character XML cannot hold is dropped
    assert sheet["A2"].value.date() == dt.date(2026, 3, 16)
    assert list(load_workbook(io.BytesIO(response.content))["Satisfaction"].values)[1:3] == [
        ("Surveys sent", 5),
        ("Surveys answered", 4),
    ]


def test_the_xlsx_export_has_one_sheet_per_table(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), {**FORTNIGHT_QUERY, "zone": world.peral.code})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-2026-03-15-{world.peral.code}.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Requests by week",
        "Requests by channel",
        "Requests by zone",
        "Time to decision and delivery",
        "Deliveries per day",
        "Why deliveries failed",
        "Packs delivered",
        "Satisfaction",
        "Satisfaction scores",
        "Latest comments",
        "Stock cover",
    ]
    rows = list(workbook["Requests by zone"].values)
    assert rows == [("Zone", "Requests", "Share (%)"), ("Barrio Peral", 2, 100.0)]
    per_day = list(workbook["Deliveries per day"].values)
    day, *counts = per_day[1]
    assert (day.date(), *counts) == (dt.date(2026, 3, 12), 1, 0, 0.0, 0)  # a real date cell, not text


def test_an_export_with_a_bad_period_goes_back_to_the_page_to_say_why(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), {"first": "2026-03-15", "last": "2026-03-02"})

    assert response.status_code == 302
    assert response.url == reverse("figures") + "?first=2026-03-15&last=2026-03-02"


def test_an_unknown_export_format_is_not_found(client, role_users):
    client.force_login(role_users["manager"])

    assert client.get(reverse("figures_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("name", ["figures", "figures_export"])
def test_only_managers_see_the_figures(client, role_users, name):
    url = reverse(name) if name == "figures" else reverse(name, args=["csv"])
    seen = {}
    for role, user in role_users.items():
        client.force_login(user)
        seen[role] = client.get(url).status_code

    assert seen == {role: 200 if role == "manager" else 403 for role in role_users}


def test_the_figures_link_is_in_the_managers_menu_only(client, role_users):
    client.force_login(role_users["manager"])
    assert reverse("figures") in client.get(reverse("home")).content.decode()
    client.force_login(role_users["logistics_planner"])
    assert reverse("figures") not in client.get(reverse("home")).content.decode()
