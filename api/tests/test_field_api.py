"""The driver's rounds and outcomes (the sync of the phone's queue) and the manager's figures through /api/v1/."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import DRIVER, LOGISTICS_PLANNER, MANAGER
from delivery.models import Stop
from delivery.tests.driver_world import another_driver, round_with_two_stops
from logistics.models import DeliveryOrder
from routing.models import PlanningRun

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def stops(role_users) -> tuple[Stop, Stop]:
    first, second = round_with_two_stops(role_users)
    PlanningRun.objects.filter(pk=first.round.run_id).update(published_at=timezone.now())
    return first, second


def delivered(stop: Stop, key: str | None = None) -> dict:
    return {
        "key": key or str(uuid.uuid4()),
        "kind": "delivered",
        "stop": stop.pk,
        "received_by": "Ana",
        "done_at": now(),
    }


def now() -> str:
    return timezone.now().isoformat()


def test_a_driver_reads_their_own_rounds_with_the_stops_in_order(role_users, stops):
    first, second = stops

    mine = client_for(role_users[DRIVER]).get("/api/v1/driver/rounds/").json()
    theirs = client_for(another_driver(role_users)).get("/api/v1/driver/rounds/").json()

    assert [[stop["id"] for stop in round_["stops"]] for round_ in mine] == [[first.pk, second.pk]]
    assert theirs == []


def test_a_draft_plan_is_not_the_drivers_yet(role_users, stops):
    PlanningRun.objects.update(published_at=None)

    assert client_for(role_users[DRIVER]).get("/api/v1/driver/rounds/").json() == []


def test_the_sync_records_outcomes_once_and_answers_each_action(role_users, stops):
    first, second = stops
    client = client_for(role_users[DRIVER])
    key = str(uuid.uuid4())
    actions = [delivered(first, key), {"kind": "delivered"}, {"key": str(uuid.uuid4()), "kind": "teleport"}]

    answer = client.post("/api/v1/driver/sync/", {"actions": actions, "known": [first.pk, second.pk]}, format="json")
    again = client.post("/api/v1/driver/sync/", {"actions": [delivered(first, key)]}, format="json")

    assert answer.status_code == 200
    body = answer.json()
    assert [(a["accepted"], a["code"]) for a in body["answers"]] == [
        (True, None),
        (False, "invalid_key"),
        (False, "unknown_kind"),
    ]
    assert body["removed"] == []
    assert again.json()["answers"][0]["accepted"] is True  # the first answer, nothing done twice
    first.refresh_from_db()
    assert (first.outcome, first.received_by, first.order.status) == (
        "delivered",
        "Ana",
        DeliveryOrder.Status.DELIVERED,
    )


def test_another_drivers_stop_is_refused_as_if_it_did_not_exist(role_users, stops):
    first, _second = stops

    answer = client_for(another_driver(role_users)).post(
        "/api/v1/driver/sync/", {"actions": [delivered(first)]}, format="json"
    )

    assert answer.json()["answers"][0]["code"] == "not_your_stop"
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING


def test_a_failed_visit_needs_its_reason(role_users, stops):
    first, _second = stops
    client = client_for(role_users[DRIVER])

    refused = client.post(
        "/api/v1/driver/sync/",
        {"actions": [{"key": str(uuid.uuid4()), "kind": "failed", "stop": first.pk, "done_at": now()}]},
        format="json",
    )
    failed = client.post(
        "/api/v1/driver/sync/",
        {
            "actions": [
                {"key": str(uuid.uuid4()), "kind": "failed", "stop": first.pk, "reason": "not_home", "done_at": now()}
            ]
        },
        format="json",
    )

    assert refused.json()["answers"][0]["accepted"] is False
    assert failed.json()["answers"][0]["accepted"] is True
    first.refresh_from_db()
    assert (first.outcome, first.failure_reason) == ("failed", "not_home")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "actions"), ({"actions": "all"}, "actions"), ({"actions": [], "known": ["x"]}, "known.0")],
)
def test_a_body_that_is_no_queue_is_refused_naming_the_field(role_users, body, field):
    answer = client_for(role_users[DRIVER]).post("/api/v1/driver/sync/", body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


def test_only_drivers_sync(role_users):
    answer = client_for(role_users[LOGISTICS_PLANNER]).post("/api/v1/driver/sync/", {"actions": []}, format="json")

    assert answer.status_code == 403


def test_the_manager_reads_the_figures_of_a_period(role_users, stops):
    client = client_for(role_users[MANAGER])
    today = timezone.localdate()

    answer = client.get("/api/v1/figures/", {"date_from": today, "date_to": today})
    reversed_period = client.get("/api/v1/figures/", {"date_from": today, "date_to": "2000-01-01"})
    no_zone = client.get("/api/v1/figures/", {"zone": 999999})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["date_from"], body["date_to"], body["zone"]) == (today.isoformat(), today.isoformat(), None)
    summary = next(table for table in body["tables"] if table["key"] == "summary")
    assert summary["columns"]
    assert all(len(row) == len(summary["columns"]) for row in summary["rows"])
    assert reversed_period.json()["error"]["code"] == "period_reversed"
    assert list(no_zone.json()["error"]["fields"]) == ["zone"]
    assert client_for(role_users[LOGISTICS_PLANNER]).get("/api/v1/figures/").status_code == 403
