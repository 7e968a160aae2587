"""Order changes through the API: reschedule, cancel and new packs go through logistics.changes, as on the change
page; a social worker reaches only their zones' orders, an integration token only what its scope allows, and a
repeated Idempotency-Key changes nothing twice."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.tokens import api_token_create
from core.roles import LOGISTICS_PLANNER, SOCIAL_WORKER
from core.tests.factories import tomorrow
from inventory.models import Reservation
from inventory.tests.factories import pack_with
from logistics.models import DeliveryOrder
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _held(order) -> int:
    return sum(Reservation.objects.filter(order=order, status="active").values_list("quantity", flat=True))


def test_a_planner_changes_an_orders_packs_and_its_stock_is_held_again(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    bigger = pack_with({item: 3})

    answer = client_for(role_users[LOGISTICS_PLANNER]).post(
        f"/api/v1/orders/{order.pk}/packs/", {"packs": [{"pack": bigger.pk, "quantity": 2}]}, format="json"
    )

    assert answer.status_code == 200
    assert [(line["pack"], line["quantity"]) for line in answer.json()["lines"]] == [(bigger.pk, 2)]
    assert list(order.lines.values_list("pack", "quantity")) == [(bigger.pk, 2)]
    assert _held(order) == 6


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"packs": [{"pack": 999_999, "quantity": 1}]}, "unknown_pack"),
        ({"packs": [{"pack": "PACK", "quantity": 50}]}, "insufficient_stock"),
        ({"packs": [{"pack": "PACK", "quantity": 1}, {"pack": "PACK", "quantity": 2}]}, "duplicate_pack"),
        ({"packs": []}, "invalid"),
        ({"packs": [{"pack": "PACK", "quantity": 0}]}, "invalid"),
        ({"packs": "many"}, "invalid"),
        ({}, "invalid"),
    ],
)
def test_a_refused_pack_change_says_why_and_changes_nothing(role_users, body, code):
    order, _item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    line = order.lines.get()
    if isinstance(body.get("packs"), list):
        body = {
            "packs": [{**row, "pack": line.pack_id if row["pack"] == "PACK" else row["pack"]} for row in body["packs"]]
        }

    answer = client_for(role_users[LOGISTICS_PLANNER]).post(f"/api/v1/orders/{order.pk}/packs/", body, format="json")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert list(order.lines.values_list("pack", "quantity")) == [(line.pack_id, line.quantity)]
    assert _held(order) == 2


def test_a_planner_reschedules_through_the_api_and_a_bad_window_is_refused_with_its_code(role_users):
    order, _item, _warehouse = approved_order(role_users)
    client = client_for(role_users[LOGISTICS_PLANNER])
    day = tomorrow() + dt.timedelta(days=1)
    while day.weekday() >= 5:  # vans go out Monday to Friday by default
        day += dt.timedelta(days=1)

    refused = client.post(
        f"/api/v1/orders/{order.pk}/reschedule/",
        {"due_date": day.isoformat(), "window_start": "12:00", "window_end": "10:00"},
        format="json",
    )
    moved = client.post(f"/api/v1/orders/{order.pk}/reschedule/", {"due_date": day.isoformat()}, format="json")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "window_order"
    assert moved.status_code == 200
    assert moved.json()["due_date"] == day.isoformat()
    order.refresh_from_db()
    assert (order.due_date, order.status) == (day, S.RESERVED)


def test_a_repeated_idempotency_key_answers_the_first_change_again_and_does_nothing_twice(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    bigger = pack_with({item: 3})
    client = client_for(role_users[LOGISTICS_PLANNER])
    body = {"packs": [{"pack": bigger.pk, "quantity": 1}]}

    first = client.post(f"/api/v1/orders/{order.pk}/packs/", body, format="json", HTTP_IDEMPOTENCY_KEY="packs-1")
    history = order.history.count()
    again = client.post(f"/api/v1/orders/{order.pk}/packs/", body, format="json", HTTP_IDEMPOTENCY_KEY="packs-1")
    other = client.post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": "other"}, format="json", HTTP_IDEMPOTENCY_KEY="packs-1"
    )

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert order.history.count() == history
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    order.refresh_from_db()
    assert order.status == S.RESERVED


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("packs", {"packs": [{"pack": 1, "quantity": 1}]}),
        ("cancel", {"reason": "other"}),
        ("reschedule", {"due_date": "2030-01-07"}),
    ],
)
def test_a_social_worker_of_another_zone_may_not_change_the_order(role_users, action, body):
    mine, other = ZoneFactory(), ZoneFactory()
    worker = role_users[SOCIAL_WORKER]
    worker.zones.add(mine)
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=other))

    answer = client_for(worker).post(f"/api/v1/orders/{order.pk}/{action}/", body, format="json")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "permission_denied"
    order.refresh_from_db()
    assert (order.status, order.due_date) == (S.RESERVED, tomorrow())


def test_a_social_worker_cancels_an_order_of_their_own_zone(role_users):
    mine = ZoneFactory()
    worker = role_users[SOCIAL_WORKER]
    worker.zones.add(mine)
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=mine))

    answer = client_for(worker).post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "other"}, format="json")

    assert answer.status_code == 200
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert _held(order) == 0


@pytest.mark.parametrize("scope", ["read_only", "intake_only", "webhook_only"])
def test_no_integration_token_scope_changes_orders(role_users, scope):
    order, _item, _warehouse = approved_order(role_users)
    planner = role_users[LOGISTICS_PLANNER]
    _token, key = api_token_create(name=f"bi-{scope}", scope=scope, username=planner.username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    for action, body in (
        ("packs", {"packs": [{"pack": order.lines.get().pack_id, "quantity": 2}]}),
        ("cancel", {"reason": "other"}),
        ("reschedule", {"due_date": (tomorrow() + dt.timedelta(days=1)).isoformat()}),
    ):
        assert client.post(f"/api/v1/orders/{order.pk}/{action}/", body, format="json").status_code == 403
    order.refresh_from_db()
    assert (order.status, order.lines.get().quantity) == (S.RESERVED, 1)
