"""The city's rules on the planning page: the fleet's cost and the objective shown, an order short at its depot
offered a transfer or the other depot, and who may change an order's depot."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import localize

from core.tests.factories import tomorrow
from delivery.models import Round
from inventory.tests.factories import ItemFactory, pack_with
from logistics.models import DeliveryOrder, Vehicle
from routing.models import PlanningRun
from routing.selectors import run_totals
from routing.tests.town import town_order, town_plan, town_stock

pytestmark = pytest.mark.django_db


def test_the_fleets_cost_and_the_objective_are_stored_and_shown_on_the_board(
    role_users, town, client, django_capture_on_commit_callbacks
):
    Vehicle.objects.update(daily_cost=Decimal("100.00"), cost_per_km=Decimal("0.500"))
    client.force_login(role_users["logistics_planner"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning"), {"date": tomorrow().isoformat(), "objective": "distance"})

    run = PlanningRun.objects.get()
    assert (run.status, run.objective) == (PlanningRun.Status.DONE, "distance")
    assert run.engine in {"ortools", "pyvrp"}
    expected = sum(
        (Decimal("100.00") + (Decimal("0.500") * d / 1000).quantize(Decimal("0.01")))
        for d in Round.objects.filter(run=run).values_list("distance_m", flat=True)
    )
    totals = run_totals(run)
    assert (totals["vans"], totals["cost"], totals["objective"]) == (3, expected, "Shortest distance")
    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()
    assert (
        f"The whole day: 3 vans, {localize(run.total_distance_km)} km, {localize(expected)} € (VAT excluded). "
        "Planned for: Shortest distance."
    ) in page
    assert f"Search engine: {run.engine}." in page


def test_the_board_offers_a_transfer_or_the_other_depot_for_an_order_short_at_its_own(role_users, town, client):
    item = ItemFactory()
    oeste_zone = town["depots"]["oeste"][1]
    town_stock(role_users, item, town["depots"]["centro"][0], quantity=5, code="C1")
    order = town_order(role_users, oeste_zone, pack_with({item: 3}), offset=7)
    town_plan(role_users)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    assert "Almacén oeste lacks the stock; another depot has it:" in page
    assert "Transfer from Almacén centro to Almacén oeste" in page
    assert "Serve from Almacén centro" in page
    assert reverse("order_transfer", args=[order.pk]) in page

    response = client.post(
        reverse("order_depot", args=[order.pk]), {"warehouse": town["depots"]["centro"][0].pk, "next": "/planning/"}
    )

    assert (response.status_code, response["Location"]) == (302, "/planning/")
    order.refresh_from_db()
    assert (order.warehouse.code, order.status) == ("centro", DeliveryOrder.Status.RESERVED)


def test_serving_an_order_from_a_depot_that_does_not_exist_is_refused_and_nothing_changes(role_users, town, client):
    order = town["orders"]["norte"][0]
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_depot", args=[order.pk]), {"warehouse": "999999"}, follow=True)

    assert "There is no depot “999999”: choose one of the list." in response.content.decode()
    order.refresh_from_db()
    assert (order.warehouse.code, order.status) == ("norte", DeliveryOrder.Status.RESERVED)


def test_only_a_planner_may_change_an_orders_depot(role_users, town, client):
    order = town["orders"]["norte"][0]
    client.force_login(role_users["manager"])

    response = client.post(reverse("order_depot", args=[order.pk]), {"warehouse": town["depots"]["centro"][0].pk})

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.warehouse.code == "norte"
