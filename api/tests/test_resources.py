"""The v1 resources: the same services, permissions and zones as the pages, errors in one shape."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import INTAKE_OPERATOR, MANAGER, SOCIAL_WORKER
from core.tests.factories import tomorrow
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from requests_intake.models import AidRequest, Household
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_schema_describes_the_v1_paths_only(role_users):
    answer = client_for(role_users[MANAGER]).get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    paths = json.loads(answer.content)["paths"]
    assert "/api/v1/households/" in paths
    assert "/api/v1/requests/{id}/approve/" in paths
    assert "/api/v1/intake/messages/" in paths
    assert not [p for p in paths if not p.startswith("/api/v1/")]


def test_the_schema_is_refused_to_anonymous_callers():
    answer = APIClient().get("/api/schema/", {"format": "json"})
    assert answer.status_code == 401
    assert json.loads(answer.content)["error"]["code"] == "not_authenticated"


def test_the_swagger_and_redoc_pages_load_only_our_own_scripts(role_users):
    client = APIClient()
    client.force_login(role_users[MANAGER])
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "<script>" not in html  # no inline script: the policy allows script files from us only
        assert "https://" not in html  # no CDN, no Google fonts
        assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_an_old_path_still_answers_as_before_and_its_v1_twin_in_the_one_error_shape(role_users):
    client = client_for(role_users[INTAKE_OPERATOR])  # no inventory rights
    old = client.get("/api/inventory/items/")
    new = client.get("/api/v1/inventory/items/")
    assert old.status_code == new.status_code == 403
    assert "detail" in old.json()
    assert new.json()["error"]["code"] == "permission_denied"
    assert new.json()["error"]["fields"] == {}


def test_an_intake_operator_sees_households_without_vulnerability_and_a_social_worker_with_it(role_users):
    household = HouseholdFactory(vulnerabilities=["disability"])
    operator = client_for(role_users[INTAKE_OPERATOR]).get(f"/api/v1/households/{household.pk}/").json()
    worker = client_for(role_users[SOCIAL_WORKER]).get(f"/api/v1/households/{household.pk}/").json()
    assert "vulnerabilities" not in operator
    assert worker["vulnerabilities"] == ["disability"]


def test_a_social_worker_assigned_to_a_zone_neither_lists_nor_opens_households_of_another(role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    mine.social_workers.add(role_users[SOCIAL_WORKER]) if hasattr(mine, "social_workers") else None
    role_users[SOCIAL_WORKER].zones.add(mine)
    visible = HouseholdFactory(zone=mine)
    unplaced = HouseholdFactory(zone=None)
    hidden = HouseholdFactory(zone=other)
    client = client_for(role_users[SOCIAL_WORKER])
    listed = {row["id"] for row in client.get("/api/v1/households/").json()["results"]}
    assert listed == {visible.pk, unplaced.pk}
    refused = client.get(f"/api/v1/households/{hidden.pk}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


def test_creating_a_household_goes_through_the_intake_service_and_bad_input_names_the_field(role_users):
    client = client_for(role_users[INTAKE_OPERATOR])
    refused = client.post("/api/v1/households/", {"given_name": "Ana"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    assert set(refused.json()["error"]["fields"]) == {"family_name", "document_type"}
    assert Household.objects.count() == 0
    created = client.post(
        "/api/v1/households/",
        {"given_name": "Ana", "family_name": "Ruiz", "document_type": "none", "phone": "968 12 34 56"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["phone"] == "+34968123456"  # normalised by household_create, as on the pages


def test_a_request_created_then_approved_through_the_api_makes_its_delivery_order(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code="L",
        quantity=10,
        expiry_date=None,
    )
    pack = pack_with({item: 2})
    household = HouseholdFactory()
    created = client_for(role_users[INTAKE_OPERATOR]).post(
        "/api/v1/requests/", {"household": household.pk, "channel": "phone", "needs": ["food"]}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["status"] == "in_assessment"
    worker = client_for(role_users[SOCIAL_WORKER])
    approved = worker.post(
        f"/api/v1/requests/{created.json()['id']}/approve/",
        {"packs": [{"pack": pack.pk, "quantity": 1}], "priority": 1, "first_delivery_on": tomorrow().isoformat()},
        format="json",
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    orders = client_for(role_users[MANAGER]).get("/api/v1/orders/", {"date": tomorrow().isoformat()}).json()
    assert [(row["household"], row["status"]) for row in orders["results"]] == [(household.pk, "reserved")]


def test_deciding_a_request_already_decided_is_refused_and_changes_nothing(role_users):
    request = AidRequest.objects.create(
        household=HouseholdFactory(),
        channel="phone",
        needs=["food"],
        status="referred",
        referred_to="Cruz Roja",
        received_at="2026-01-05T10:00Z",
    )
    refused = client_for(role_users[SOCIAL_WORKER]).post(
        f"/api/v1/requests/{request.pk}/refer/", {"to": "Cáritas"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"non_field_errors": [refused.json()["error"]["message"]]}
    request.refresh_from_db()
    assert (request.status, request.referred_to) == ("referred", "Cruz Roja")


def test_an_intake_operator_may_not_decide_a_request(role_users):
    request = AidRequest.objects.create(
        household=HouseholdFactory(), channel="phone", needs=["food"], received_at="2026-01-05T10:00Z"
    )
    refused = client_for(role_users[INTAKE_OPERATOR]).post(
        f"/api/v1/requests/{request.pk}/reject/", {"reason": "no"}, format="json"
    )
    assert refused.status_code == 403
    request.refresh_from_db()
    assert request.status == "in_assessment"


def test_a_wrong_filter_value_is_a_400_naming_the_parameter(role_users):
    answer = client_for(role_users[MANAGER]).get("/api/v1/orders/", {"status": "lost", "date": "yesterday"})
    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"status", "date"}


def test_a_missing_object_is_a_404_in_the_error_shape(role_users):
    answer = client_for(role_users[MANAGER]).get("/api/v1/orders/999999/")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


# Found by schemathesis: both answered the site's HTML pages or an undocumented 404.
def test_a_cursor_the_api_did_not_give_is_a_400_naming_the_cursor(role_users):
    answer = client_for(role_users[MANAGER]).get("/api/v1/orders/", {"cursor": "not-a-cursor"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_cursor"
    assert list(answer.json()["error"]["fields"]) == ["cursor"]


def test_an_unknown_v1_url_answers_a_json_404_not_the_html_page(role_users):
    answer = client_for(role_users[MANAGER]).get("/api/v1/orders/0.5/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["error"]["code"] == "not_found"
    assert APIClient().get("/api/inventory/items/").status_code == 401  # the first paths are not swallowed


def test_a_planner_cancels_an_order_with_a_reason_code_through_the_change_service(role_users):
    from tests.scenarios import approved_order

    order, _item, _warehouse = approved_order(role_users)
    client = client_for(role_users["logistics_planner"])
    refused = client.post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "because"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["reason"]
    order.refresh_from_db()
    assert order.status == "reserved"
    reason = order.CancelReason.values[0]
    cancelled = client.post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": reason}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == ("cancelled", reason)
