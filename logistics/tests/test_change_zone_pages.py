"""The order's change page keeps to the social worker's zones: a worker of one zone neither opens nor changes an
order of another zone's household (403, nothing changed); their own zone's orders and unplaced households' stay
open, and a planner on no zone's list reaches every order."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


@pytest.fixture
def zones(role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    role_users["social_worker"].zones.add(mine)
    return mine, other


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("order_change", None),
        ("order_cancel", {"reason": "household_request", "note": ""}),
        (
            "order_reschedule",
            {"due_date": "2030-01-07", "window_start": "10:00", "window_end": "12:00", "mode": "home"},
        ),
    ],
)
def test_a_social_worker_may_not_open_or_change_another_zones_order(client, role_users, zones, name, data):
    _mine, other = zones
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=other))
    client.force_login(role_users["social_worker"])
    url = reverse(name, args=[order.pk])

    response = client.get(url) if data is None else client.post(url, data)

    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.due_date) == (S.RESERVED, tomorrow())


@pytest.mark.parametrize("where", ["mine", "unplaced"])
def test_a_social_worker_cancels_an_order_of_their_zone_or_of_no_zone(client, role_users, zones, where):
    mine, _other = zones
    household = HouseholdFactory(zone=mine if where == "mine" else None)
    order, _item, _warehouse = approved_order(role_users, household=household)
    client.force_login(role_users["social_worker"])

    assert client.get(reverse("order_change", args=[order.pk])).status_code == 200
    response = client.post(reverse("order_cancel", args=[order.pk]), {"reason": "household_request", "note": ""})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CANCELLED


def test_a_planner_on_no_zones_list_opens_any_zones_order(client, role_users, zones):
    _mine, other = zones
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=other))
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("order_change", args=[order.pk])).status_code == 200


def test_an_unknown_order_is_not_found_before_any_zone_is_asked(client, role_users, zones):
    client.force_login(role_users["social_worker"])

    assert client.get(reverse("order_change", args=[999_999])).status_code == 404
