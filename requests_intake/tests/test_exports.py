"""Exporting households: a zone's list as CSV or XLSX, and one person's data for an access request."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import Round, Stop
from inventory.tests.factories import PackFactory, WarehouseFactory
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.tests.factories import VehicleFactory
from requests_intake.imports import households_import
from requests_intake.models import AidPlan, AidPlanLine, Household, HouseholdMember, RequestMessage
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from routing.models import PlanningRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones():
    return {
        "north": ZoneFactory(code="norte", name="Zona Norte", postcodes="30201"),
        "south": ZoneFactory(code="sur", name="Zona Sur", postcodes="30202"),
    }


@pytest.fixture
def carmen(zones):
    return HouseholdFactory(
        given_name="Carmen",
        family_name="Sánchez Gómez",
        document_type="dni",
        document_number="00000000T",
        phone="+34968123456",
        address="C/ Duque 21, 2º",
        birth_date=dt.date(1947, 9, 14),
        members=3,
        zone=zones["north"],
        access_notes="Llamar antes",
    )


def export(client, zone: str, file_format: str = "csv"):
    return client.get(reverse("households_export"), {"zone": zone, "format": file_format})


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return [line.split(";") for line in text.splitlines()]


# A zone's households ------------------------------------------------------------------------------------------


def test_a_zone_exports_as_a_csv_a_spanish_excel_opens(client, role_users, zones, carmen):
    HouseholdFactory(family_name="Otra zona", zone=zones["south"])
    HouseholdFactory(family_name="Fusionada", zone=zones["north"], merged_into=carmen)
    client.force_login(role_users["manager"])

    response = export(client, "norte")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="households-norte-')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read accents
    assert csv_rows(response) == [
        [
            "Given name",
            "Family name",
            "Document type",
            "Document",
            "Phone",
            "E-mail",
            "Address",
            "Postcode",
            "Municipality",
            "Birth date",
            "Sex",
            "Nationality",
            "Members",
            "Zone",
            "Notes",
            "Latitude",
            "Longitude",
        ],
        [
            "Carmen",
            "Sánchez Gómez",
            "DNI",
            "00000000T",
            "+34968123456",
            "",
            "C/ Duque 21, 2º",
            "30201",
            "Cartagena",
            "14/09/1947",
            "",
            "",
            "3",
            "Zona Norte",
            "Llamar antes",
            "37.605000",
            "-0.985000",
        ],
    ]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(client, role_users, zones):
    HouseholdFactory(given_name="=HYPERLINK(1)", zone=zones["north"])
    client.force_login(role_users["manager"])

    assert csv_rows(export(client, "norte"))[1][0] == "'=HYPERLINK(1)"


def test_a_zone_exports_as_xlsx_with_dates_and_numbers_as_such(client, role_users, zones, carmen):
    client.force_login(role_users["manager"])

    response = export(client, "norte", "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Given name", "Family name", "Document type", "Document")
    assert rows[1][9] == dt.datetime(1947, 9, 14)  # noqa: DTZ001 - spreadsheet dates carry no time zone
    assert rows[1][12] == 3  # after sex and nationality, not recorded for Carmen
    assert sheet.title == "Zona Norte"


def test_an_exported_file_imports_back_to_the_same_households(client, role_users, zones, carmen):
    client.force_login(role_users["manager"])
    content = export(client, "norte").content
    Household.objects.all().delete()

    households_import(actor=None, content=content, file_name="households-norte.csv")

    household = Household.objects.get()
    assert (household.given_name, household.family_name, household.document_number) == (
        "Carmen",
        "Sánchez Gómez",
        "00000000T",
    )
    assert (household.birth_date, household.members, household.zone) == (dt.date(1947, 9, 14), 3, zones["north"])
    assert (household.latitude, household.longitude) == (carmen.latitude, carmen.longitude)


def test_a_social_worker_with_zones_exports_only_those(client, role_users, zones, carmen):
    worker = role_users["social_worker"]
    zones["south"].social_workers.add(worker)
    client.force_login(worker)

    assert export(client, "norte").status_code == 403
    assert export(client, "sur").status_code == 200
    page = client.get(reverse("households_export")).content.decode()
    assert "Zona Sur" in page
    assert "Zona Norte" not in page


def test_a_social_worker_without_zones_and_a_manager_export_every_zone(client, role_users, zones, carmen):
    for role in ("social_worker", "manager"):
        client.force_login(role_users[role])

        assert export(client, "norte").status_code == 200
        assert export(client, "sur").status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("social_worker", 200), ("intake_operator", 403), ("driver", 403), ("logistics_planner", 403)],
)
def test_the_export_page_is_for_those_who_may_export_personal_data(client, role_users, zones, role, expected):
    client.force_login(role_users[role])

    assert client.get(reverse("households_export")).status_code == expected
    assert export(client, "norte").status_code == expected


def test_the_export_page_lists_each_zone_with_its_households(client, role_users, zones, carmen):
    client.force_login(role_users["manager"])

    response = client.get(reverse("households_export"))

    assert [(zone.code, zone.households) for zone in response.context["zones"]] == [("norte", 1), ("sur", 0)]


def test_an_unknown_zone_or_format_is_not_found(client, role_users, zones):
    client.force_login(role_users["manager"])

    assert export(client, "nowhere").status_code == 404
    assert export(client, "norte", "pdf").status_code == 404


# One person's data --------------------------------------------------------------------------------------------


@pytest.fixture
def carmen_with_history(role_users, carmen):
    """Carmen with a member, an approved request with its plan, a message and a delivery that failed once."""
    HouseholdMember.objects.create(
        household=carmen, given_name="Lucía", birth_date=dt.date(2015, 3, 14), relationship="child"
    )
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=carmen,
        channel="phone",
        needs=["food"],
        description="Sin ingresos",
    )
    RequestMessage.objects.create(request=request, channel="whatsapp", sender="+34968123456", body="¿Cuándo llega?")
    pack = PackFactory(name="Lote básico")
    plan = AidPlan.objects.create(request=request, first_delivery_on=dt.date(2026, 5, 4))
    AidPlanLine.objects.create(plan=plan, pack=pack, quantity=2)
    warehouse = WarehouseFactory()
    order = DeliveryOrder.objects.create(plan=plan, household=carmen, warehouse=warehouse, due_date=dt.date(2026, 5, 4))
    DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=2)
    run = PlanningRun.objects.create(date=dt.date(2026, 5, 4), requested_by=role_users["logistics_planner"])
    now = timezone.now()
    rounds = Round.objects.create(
        run=run,
        date=dt.date(2026, 5, 4),
        vehicle=VehicleFactory(),
        depot=warehouse,
        start_at=now,
        end_at=now,
        distance_m=1000,
    )
    Stop.objects.create(
        round=rounds, order=order, sequence=1, arrival_at=now, outcome="failed", failure_reason="not_home"
    )
    return carmen


def test_the_access_request_export_holds_everything_kept_about_the_person(client, role_users, carmen_with_history):
    client.force_login(role_users["manager"])

    response = client.get(reverse("household_data_export", args=[carmen_with_history.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="household-{carmen_with_history.pk}.json"'
    data = json.loads(response.content)
    assert data["household"]["document_number"] == "00000000T"
    assert data["household"]["birth_date"] == "1947-09-14"
    assert data["household"]["zone"] == "Zona Norte"
    assert "search_text" not in data["household"]
    assert [member["given_name"] for member in data["members"]] == ["Lucía"]
    [request] = data["requests"]
    assert (request["description"], request["needs"]) == ("Sin ingresos", ["food"])
    assert "registered_by" not in request  # staff accounts are not the person's data
    assert [line["quantity"] for line in request["plan"]["lines"]] == [2]
    assert [message["body"] for message in request["messages"]] == ["¿Cuándo llega?"]
    assert [notification["event"] for notification in request["notifications"]] == ["received"]
    [order] = data["orders"]
    assert [line["pack"] for line in order["lines"]] == ["Lote básico"]
    assert [(d["date"], d["outcome"], d["failure_reason"]) for d in order["deliveries"]] == [
        ("2026-05-04", "failed", "not_home")
    ]
    assert data["merged_records"] == []


def test_records_merged_into_the_household_come_with_its_data(client, role_users, carmen):
    HouseholdFactory(given_name="Carmen", family_name="Sanchez", merged_into=carmen)
    client.force_login(role_users["manager"])

    data = client.get(reverse("household_data_export", args=[carmen.pk])).json()

    assert [record["household"]["family_name"] for record in data["merged_records"]] == ["Sanchez"]


def test_a_social_worker_exports_the_data_of_households_in_their_zones_only(client, role_users, zones, carmen):
    worker = role_users["social_worker"]
    zones["south"].social_workers.add(worker)
    neighbour = HouseholdFactory(zone=zones["south"])
    client.force_login(worker)

    assert client.get(reverse("household_data_export", args=[carmen.pk])).status_code == 403
    assert client.get(reverse("household_data_export", args=[neighbour.pk])).status_code == 200


@pytest.mark.parametrize(("role", "expected"), [("manager", 200), ("intake_operator", 403), ("driver", 403)])
def test_the_access_request_export_needs_the_export_permission(client, role_users, carmen, role, expected):
    client.force_login(role_users[role])

    assert client.get(reverse("household_data_export", args=[carmen.pk])).status_code == expected


def test_an_anonymous_visitor_is_sent_to_sign_in(client, carmen):
    response = client.get(reverse("household_data_export", args=[carmen.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_menu_leads_to_import_or_export_by_role_and_never_for_a_driver(client, role_users):
    links = {}
    for role in ("intake_operator", "social_worker", "driver"):
        client.force_login(role_users[role])
        page = client.get(reverse("home")).content.decode()
        links[role] = (reverse("households_import") in page, reverse("households_export") in page)

    assert links == {"intake_operator": (True, False), "social_worker": (False, True), "driver": (False, False)}
