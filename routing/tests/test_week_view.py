"""The board's week view: per day the orders due and the vans, km and packs of its plan."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from routing.week_selectors import week_days
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_the_week_shows_each_days_orders_vans_km_and_packs(client, role_users):
    stop = planned_stop(role_users)
    run = stop.round.run

    days = week_days(tomorrow(), 3)

    assert [(d.orders, d.planned, d.vans, d.packs, d.published) for d in days] == [
        (1, 1, 1, 1, True),
        (0, 0, 0, 0, False),
        (0, 0, 0, 0, False),
    ]
    assert days[0].km == run.total_distance_km
    client.force_login(role_users["logistics_planner"])
    page = client.get(reverse("planning_week"), {"start": tomorrow().isoformat()})
    assert page.status_code == 200
    assert page.context["totals"] == {"orders": 1, "vans": 1, "km": run.total_distance_km, "packs": 1}


def test_a_driver_may_not_see_the_week(client, role_users):
    client.force_login(role_users["driver"])

    assert client.get(reverse("planning_week")).status_code == 403
