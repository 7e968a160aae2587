"""The manager's cost page: the cost of a month's deliveries per delivery and per household, by zone, programme
and day, read in the browser; a wrong month is said and this month shown instead."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import Round, Stop
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from routing.models import PlanningRun
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 4)
URL = reverse("delivery_costs")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def march(role_users):
    """On 4 March 2030 a round of 100 €/day + 20 km × 0.50 = 110.00 delivers a food pack worth 12.50 to a household
    of Norte and another to a household of no zone, and fails at a third: 135.00 for two deliveries."""
    food = pack_with({ItemFactory(unit_cost=Decimal("6.2500")): 2}, programme="food")
    plan = approved_plan(role_users)
    warehouse = WarehouseFactory()
    vehicle = VehicleFactory(depot=warehouse, daily_cost=Decimal("100.00"), cost_per_km=Decimal("0.500"))
    run = PlanningRun.objects.create(date=DAY, requested_by=role_users["driver"])
    round_ = Round.objects.create(
        run=run,
        date=DAY,
        vehicle=vehicle,
        driver=role_users["driver"],
        depot=warehouse,
        start_at=_at(DAY, 9),
        end_at=_at(DAY, 13),
        distance_m=20_000,
    )
    households = [HouseholdFactory(zone=ZoneFactory(name="Norte")), HouseholdFactory(zone=None), HouseholdFactory()]
    for sequence, (household, outcome) in enumerate(
        zip(households, ["delivered", "delivered", "failed"], strict=True), start=1
    ):
        order = DeliveryOrder.objects.create(
            plan=plan, household=household, warehouse=warehouse, due_date=DAY, status=outcome
        )
        DeliveryOrderLine.objects.create(order=order, pack=food, quantity=1)
        Stop.objects.create(
            round=round_,
            order=order,
            sequence=sequence,
            arrival_at=_at(DAY, 10),
            outcome=outcome,
            failure_reason="not_home" if outcome == "failed" else "",
        )


def _figure(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert match, label
    return match[1]


def test_the_manager_reads_the_cost_per_delivery_and_per_household_of_a_month(client, role_users, march):
    client.force_login(role_users["manager"])

    response = client.get(URL, {"month": "2030-03"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "Deliveries") == "2"
    assert _figure(html, "Households served") == "2"
    assert _figure(html, "Packs' value (EUR)") == "25.00"
    assert _figure(html, "Van cost (EUR)") == "110.00"
    assert _figure(html, "Total (EUR)") == "135.00"
    assert _figure(html, "Cost per delivery (EUR)") == "67.50"
    assert _figure(html, "Cost per household (EUR)") == "67.50"


def test_the_page_breaks_the_cost_down_by_zone_programme_and_day(client, role_users, march):
    client.force_login(role_users["manager"])

    html = client.get(URL, {"month": "2030-03"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    zones = html[html.index('id="costs-by-zone"') : html.index('id="costs-by-programme"')]
    assert re.sub(r"\s+", " ", zones).count('<td>Norte</td><td class="num">1</td>') == 1
    assert "<td>No zone</td>" in zones
    programmes = html[html.index('id="costs-by-programme"') : html.index('id="costs-by-day"')]
    assert "<td>Food</td>" in programmes
    assert "135.00" in programmes
    days = html[html.index('id="costs-by-day"') :]
    assert "04/03" in days


def test_a_month_without_deliveries_shows_zeros_and_no_cost_per_delivery(client, role_users, march):
    client.force_login(role_users["manager"])

    html = client.get(URL, {"month": "2030-04"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert _figure(html, "Deliveries") == "0"
    assert _figure(html, "Cost per delivery (EUR)") == "—"
    assert html.count("Nothing in this period.") == 3


def test_a_wrong_month_is_said_and_this_month_is_shown(client, role_users, march):
    client.force_login(role_users["manager"])

    response = client.get(URL, {"month": "2030-13"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    html = response.content.decode()
    assert "2030-13 is not a month" in html
    assert f'value="{timezone.localdate():%Y-%m}"' in html


def test_the_page_opens_without_a_month_on_this_month(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert f'value="{timezone.localdate():%Y-%m}"' in response.content.decode()


@pytest.mark.parametrize("role", ["driver", "intake_operator", "logistics_planner"])
def test_other_roles_may_not_read_the_costs(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(URL).status_code == 403


def test_the_figures_page_links_to_the_costs_of_its_month(client, role_users):
    client.force_login(role_users["manager"])

    html = client.get(reverse("figures"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'href="{URL}?month=' in html
