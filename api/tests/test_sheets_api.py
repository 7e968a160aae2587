"""The catalogue's and the orders' sheets through /api/v1/: files out, imports in, the role and zone of the caller
checked, an import's errors listed by row and column."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.tokens import api_token_create
from core.roles import LOGISTICS_PLANNER, MANAGER, SUPPLIER_COORDINATOR
from core.tests.factories import tomorrow
from inventory.models import Item, Pack
from inventory.tests.factories import ItemFactory, pack_with
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def upload(text: str, name: str = "items.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_coordinator_exports_the_items_edits_the_file_and_imports_it_back(role_users):
    ItemFactory(sku="RICE", name="Arroz")
    client = client_for(role_users[SUPPLIER_COORDINATOR])

    exported = client.get("/api/v1/catalogue/items/export/", HTTP_ACCEPT="text/csv")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    assert exported["Content-Disposition"].startswith('attachment; filename="items-')
    text = exported.content.decode("utf-8-sig").replace("Arroz", "Arroz largo")
    text += "OIL;Aceite;;food;l;0,9;1;;;;;;10\r\n"

    checked = client.post("/api/v1/catalogue/items/import/", {"file": upload(text), "dry_run": "true"})
    assert checked.json() == {"rows": 2, "created": 1, "updated": 1, "unchanged": 0, "dry_run": True}
    assert not Item.objects.filter(sku="OIL").exists()

    imported = client.post("/api/v1/catalogue/items/import/", {"file": upload(text)})
    assert imported.status_code == 200
    assert (imported.json()["created"], imported.json()["updated"]) == (1, 1)
    assert Item.objects.get(sku="RICE").name == "Arroz largo"


def test_an_import_with_errors_answers_each_row_and_column_and_saves_nothing(role_users):
    text = "sku;name;category;weight_kg;volume_l\r\nA;Uno;food;1;1\r\nB;;food;x;1\r\n"

    refused = client_for(role_users[SUPPLIER_COORDINATOR]).post(
        "/api/v1/catalogue/items/import/", {"file": upload(text)}
    )

    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "import_refused"
    assert [(row["row"], row["column"], row["code"]) for row in error["rows"]] == [
        (3, "name", "catalogue_required"),
        (3, "weight_kg", "catalogue_not_a_number"),
    ]
    assert not Item.objects.exists()


def test_a_packs_file_sets_the_components_and_a_missing_file_names_the_field(role_users):
    rice = ItemFactory(sku="RICE")
    pack_with({rice: 1}, code="family", name="Familiar")
    client = client_for(role_users[SUPPLIER_COORDINATOR])

    missing = client.post("/api/v1/catalogue/packs/import/", {})
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["file"]

    text = "pack_code;pack_name;item_sku;quantity\r\nfamily;Familiar;RICE;3\r\n"
    answer = client.post("/api/v1/catalogue/packs/import/", {"file": upload(text, "packs.csv")})
    assert answer.status_code == 200
    assert Pack.objects.get(code="family").components.get().quantity == 3

    exported = client_for(role_users["social_worker"]).get("/api/v1/catalogue/packs/export/", {"file_format": "xlsx"})
    assert exported.status_code == 200
    assert "spreadsheetml" in exported["Content-Type"]


def test_a_repeated_import_with_the_same_idempotency_key_is_not_run_again(role_users):
    client = client_for(role_users[SUPPLIER_COORDINATOR])
    text = "sku;name;category;weight_kg;volume_l\r\nA;Uno;food;1;1\r\n"

    first = client.post("/api/v1/catalogue/items/import/", {"file": upload(text)}, HTTP_IDEMPOTENCY_KEY="k-1")
    Item.objects.filter(sku="A").update(name="Changed since")
    again = client.post("/api/v1/catalogue/items/import/", {"file": upload(text)}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Item.objects.get(sku="A").name == "Changed since"


def test_a_read_only_token_exports_but_does_not_import(role_users):
    _token, key = api_token_create(name="bi", scope="read_only", username=role_users[SUPPLIER_COORDINATOR].username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    assert client.get("/api/v1/catalogue/items/export/").status_code == 200
    refused = client.post("/api/v1/catalogue/items/import/", {"file": upload("sku\r\n")})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


def test_the_orders_of_a_period_come_as_a_sheet_and_a_wrong_query_names_the_parameter(role_users):
    order, _item, _warehouse = approved_order(role_users)
    client = client_for(role_users[MANAGER])

    answer = client.get("/api/v1/orders/export/", {"date_from": tomorrow(), "date_to": tomorrow()})
    assert answer.status_code == 200
    [row] = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";")
    assert row["order"] == str(order.pk)

    wrong = client.get("/api/v1/orders/export/", {"date_from": "soon", "zone": 999999, "file_format": "pdf"})
    assert wrong.status_code == 400
    assert set(wrong.json()["error"]["fields"]) == {"date_from", "date_to", "zone", "file_format"}

    reversed_period = client.get("/api/v1/orders/export/", {"date_from": tomorrow(), "date_to": "2000-01-01"})
    assert reversed_period.status_code == 400
    assert reversed_period.json()["error"]["code"] == "period_reversed"


def test_a_planner_listed_on_a_zone_may_not_export_another_zone(role_users):
    north, south = ZoneFactory(), ZoneFactory()
    planner = role_users[LOGISTICS_PLANNER]
    planner.zones.add(north)
    approved_order(role_users, household=HouseholdFactory(zone=south))
    client = client_for(planner)
    period = {"date_from": tomorrow(), "date_to": tomorrow()}

    assert client.get("/api/v1/orders/export/", {**period, "zone": south.pk}).status_code == 403
    every = client.get("/api/v1/orders/export/", period)
    assert every.status_code == 200
    assert list(csv.DictReader(io.StringIO(every.content.decode("utf-8-sig")), delimiter=";")) == []
