"""The orders export (reports.orders_export): a period's orders and how their deliveries ended, by zone, for the
roles that read the orders page."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import DRIVER, LOGISTICS_PLANNER, MANAGER, SOCIAL_WORKER
from core.tests.factories import tomorrow
from delivery.services import stop_mark_delivered
from reports.orders_export import orders_export
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def period(**kwargs) -> dict:
    return {"date_from": tomorrow(), "date_to": tomorrow(), "zone": None, "file_format": "csv", **kwargs}


def test_a_delivered_order_is_listed_with_its_packs_and_who_received_it(role_users):
    north = ZoneFactory(code="north")
    stop = planned_stop(role_users, household=HouseholdFactory(zone=north, document_number="12345678Z"))
    stop_mark_delivered(actor=role_users[DRIVER], stop=stop, received_by="Ana")

    content, content_type, name = orders_export(user=role_users[MANAGER], **period())

    assert content_type.startswith("text/csv")
    assert name == f"orders-all-{tomorrow().isoformat()}-{tomorrow().isoformat()}.csv"
    [row] = rows(content)
    assert row["order"] == str(stop.order_id)
    assert (row["status"], row["outcome"], row["received_by"], row["zone"]) == (
        "delivered",
        "delivered",
        "Ana",
        "north",
    )
    assert row["packs"] == f"1 × {stop.order.lines.get().pack.code}"
    assert row["document_number"] == "12345678Z"  # a manager may export households' personal data
    assert row["recorded_at"]


def test_a_planner_gets_no_document_numbers(role_users):
    approved_order(role_users, household=HouseholdFactory(document_number="12345678Z"))

    [row] = rows(orders_export(user=role_users[LOGISTICS_PLANNER], **period())[0])

    assert "document_number" not in row
    assert row["status"] == "reserved"
    assert row["outcome"] == ""


def test_the_zone_and_the_period_narrow_the_list(role_users):
    north, south = ZoneFactory(code="north"), ZoneFactory(code="south")
    in_north, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=north))
    approved_order(role_users, household=HouseholdFactory(zone=south))

    north_rows = rows(orders_export(user=role_users[MANAGER], **period(zone=north))[0])
    later = rows(
        orders_export(
            user=role_users[MANAGER],
            **period(date_from=tomorrow() + dt.timedelta(days=1), date_to=tomorrow() + dt.timedelta(days=3)),
        )[0]
    )

    assert [row["order"] for row in north_rows] == [str(in_north.pk)]
    assert later == []


def test_a_user_listed_on_zones_exports_only_those_zones(role_users):
    north, south = ZoneFactory(code="north"), ZoneFactory(code="south")
    planner = role_users[LOGISTICS_PLANNER]
    planner.zones.add(north)
    approved_order(role_users, household=HouseholdFactory(zone=north))
    approved_order(role_users, household=HouseholdFactory(zone=south))
    approved_order(role_users, household=HouseholdFactory(zone=None))

    listed = rows(orders_export(user=planner, **period())[0])

    assert sorted(row["zone"] for row in listed) == ["", "north"]
    with pytest.raises(PermissionDenied):
        orders_export(user=planner, **period(zone=south))


@pytest.mark.parametrize("role", [DRIVER, SOCIAL_WORKER])
def test_roles_that_do_not_read_orders_are_refused(role_users, role):
    with pytest.raises(PermissionDenied):
        orders_export(user=role_users[role], **period())


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"date_to": tomorrow() - dt.timedelta(days=1)}, "date_to", "period_reversed"),
        ({"date_to": tomorrow() + dt.timedelta(days=366)}, "date_to", "period_too_long"),
        ({"file_format": "pdf"}, "file_format", "bad_format"),
    ],
)
def test_a_wrong_period_or_format_is_refused_with_its_code(role_users, change, field, code):
    with pytest.raises(ValidationError) as refused:
        orders_export(user=role_users[MANAGER], **period(**change))
    assert refused.value.error_dict[field][0].code == code


def test_xlsx_holds_dates_as_dates(role_users):
    approved_order(role_users)

    content, content_type, name = orders_export(user=role_users[MANAGER], **period(file_format="xlsx"))

    assert name.endswith(".xlsx")
    assert "spreadsheetml" in content_type
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    due = sheet.cell(row=2, column=header.index("due_date") + 1).value
    assert due.date() == tomorrow()
