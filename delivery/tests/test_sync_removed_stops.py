"""A phone that was offline when an order was cancelled drops its stop at the next sync."""

import json

import pytest
from django.urls import reverse

from logistics.changes import order_call_off
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def _sync(client, body: dict) -> dict:
    response = client.post(reverse("driver_sync"), json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_sync_answer_names_the_shown_stops_taken_off_the_round(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    assert _sync(client, {"actions": [], "known": [stop.pk]})["removed"] == []

    order_call_off(actor=role_users["logistics_planner"], order=stop.order, reason="household_request")

    assert _sync(client, {"actions": [], "known": [stop.pk]}) == {"answers": [], "removed": [stop.pk]}


def test_a_stop_of_another_drivers_round_is_never_named_as_kept(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])  # may not record deliveries at all
    assert client.post(reverse("driver_sync"), "{}", content_type="application/json").status_code == 403
    client.force_login(role_users["driver"])

    answer = _sync(client, {"actions": [], "known": [stop.pk + 1000, "x", True, stop.pk]})

    assert answer["removed"] == [stop.pk + 1000]


@pytest.mark.parametrize("known", [None, "1,2", {"a": 1}, 7])
def test_a_sync_without_a_list_of_shown_stops_names_none(client, role_users, known):
    planned_stop(role_users)
    client.force_login(role_users["driver"])

    assert _sync(client, {"actions": [], "known": known})["removed"] == []
