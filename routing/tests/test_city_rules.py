"""The city's rules on the board: each zone served from its depot, breaks, refrigerated vans, two-person crews,
medication drivers, the fleet's cost and the planner's objective, and `plan_day --json`."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize

from delivery.models import Round, Stop
from inventory.ledger import lot_receive
from inventory.models import StockLot
from logistics.depots import order_depot_change, order_stock_transfer
from logistics.models import DeliveryOrder, Vehicle
from logistics.week_plan import reference
from requests_intake.decisions import aid_request_approve
from requests_intake.services import aid_request_register
from routing.models import PlanningRun
from routing.selectors import run_totals
from routing.services import planning_run_execute, planning_run_start
from tests.factories import (
    HouseholdFactory,
    ItemFactory,
    VehicleFactory,
    WarehouseFactory,
    ZoneFactory,
    pack_with,
    tomorrow,
)

pytestmark = pytest.mark.django_db

# Three depots of a small town, each with its zone's households a few hundred metres away.
DEPOTS = {
    "norte": (Decimal("37.640000"), Decimal("-0.990000")),
    "centro": (Decimal("37.605000"), Decimal("-0.985000")),
    "oeste": (Decimal("37.600000"), Decimal("-1.020000")),
}


def _depot(code: str, **fields):
    latitude, longitude = DEPOTS[code]
    warehouse = WarehouseFactory(code=code, name=f"Almacén {code}", latitude=latitude, longitude=longitude, **fields)
    return warehouse, ZoneFactory(code=f"zona-{code}", name=f"Zona {code}", depot=warehouse)


def _stock(role_users, item, warehouse, quantity: int = 50, code: str = "L1"):
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code=code,
        quantity=quantity,
        expiry_date=None,
    )


def _order(role_users, zone, pack, *, offset: int = 0, household=None, **plan) -> DeliveryOrder:
    latitude, longitude = DEPOTS[zone.code.removeprefix("zona-")]
    household = household or HouseholdFactory(
        zone=zone, latitude=latitude + Decimal("0.002") * (offset + 1), longitude=longitude
    )
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=household,
        channel="phone",
        needs=["food", "medication"] if plan.get("pharmacy") else ["food"],
    )
    approved = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack, 1)],
        priority=1,
        first_delivery_on=tomorrow(),
        **plan,
    )
    return approved.orders.get()


def _plan(role_users, objective: str = PlanningRun.Objective.VANS) -> PlanningRun:
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], objective=objective)
    planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def town(role_users):
    """Three depots, each with its zone, its stock of one item, one van and two households' orders."""
    item = ItemFactory()
    pack = pack_with({item: 2})
    world = {"item": item, "pack": pack, "depots": {}, "orders": {}, "vans": {}}
    for code in DEPOTS:
        warehouse, zone = _depot(code)
        _stock(role_users, item, warehouse)
        world["depots"][code] = (warehouse, zone)
        world["vans"][code] = VehicleFactory(name=f"Furgoneta {code}", depot=warehouse)
        world["orders"][code] = [_order(role_users, zone, pack, offset=i) for i in range(2)]
    return world


def test_a_new_order_goes_to_its_zones_depot(town):
    for code, orders in town["orders"].items():
        assert [order.warehouse.code for order in orders] == [code, code]
        assert [order.status for order in orders] == [DeliveryOrder.Status.RESERVED] * 2


def test_a_three_depot_day_has_rounds_from_every_depot_each_carrying_its_zones_orders(role_users, town):
    run = _plan(role_users)

    assert sorted(Round.objects.filter(run=run).values_list("depot__code", flat=True)) == ["centro", "norte", "oeste"]
    for code, orders in town["orders"].items():
        rounds = {Stop.objects.get(order=order).round for order in orders}
        assert [(r.depot.code, r.vehicle.name) for r in rounds] == [(code, f"Furgoneta {code}")]
    assert run.unplaced.count() == 0


def test_a_cold_chain_order_rides_only_the_refrigerated_van(role_users):
    warehouse, zone = _depot("centro")
    cold = ItemFactory(cold_chain=True)
    _stock(role_users, cold, warehouse)
    order = _order(role_users, zone, pack_with({cold: 1}))
    VehicleFactory(name="A seca", depot=warehouse)  # first by name and pk: it would be chosen were it allowed
    VehicleFactory(name="B frío", depot=warehouse, skills=["cold_chain"])

    _plan(role_users)

    assert Stop.objects.get(order=order).round.vehicle.name == "B frío"


def test_a_cold_chain_order_without_a_refrigerated_van_is_left_out_naming_the_rule(role_users):
    warehouse, zone = _depot("centro")
    cold = ItemFactory(cold_chain=True)
    _stock(role_users, cold, warehouse)
    order = _order(role_users, zone, pack_with({cold: 1}))
    VehicleFactory(depot=warehouse)

    run = _plan(role_users)

    unplaced = run.unplaced.get()
    assert (unplaced.order, unplaced.reason, unplaced.fix_kind, unplaced.fix_value) == (
        order,
        "missing_skill",
        "vehicle_with_skills",
        ["cold_chain"],
    )
    assert unplaced.explanation == (
        "No available van can take it. It needs a refrigerated van (cold chain): make one available that day."
    )


def test_a_household_needing_two_people_gets_the_van_with_a_crew_of_two(role_users):
    warehouse, zone = _depot("centro")
    item = ItemFactory()
    _stock(role_users, item, warehouse)
    heavy = _order(role_users, zone, pack_with({item: 2}), household=HouseholdFactory(zone=zone, needs_two_people=True))
    VehicleFactory(name="A sola", depot=warehouse)
    VehicleFactory(name="B pareja", depot=warehouse, crew_size=2)

    _plan(role_users)

    assert Stop.objects.get(order=heavy).round.vehicle.name == "B pareja"


def test_a_two_person_delivery_without_such_a_crew_is_left_out_saying_so(role_users):
    warehouse, zone = _depot("centro")
    item = ItemFactory()
    _stock(role_users, item, warehouse)
    _order(role_users, zone, pack_with({item: 2}), household=HouseholdFactory(zone=zone, needs_two_people=True))
    VehicleFactory(depot=warehouse)

    unplaced = _plan(role_users).unplaced.get()

    assert unplaced.fix_value == ["two_people"]
    assert unplaced.explanation.endswith("It needs a van with a crew of two: make one available that day.")


def test_medication_goes_only_with_a_driver_allowed_to_carry_it(role_users):
    warehouse, zone = _depot("centro")
    item = ItemFactory()
    _stock(role_users, item, warehouse)
    order = _order(role_users, zone, pack_with({item: 2}), pharmacy="Farmacia Central")
    driver = role_users["driver"]
    VehicleFactory(depot=warehouse, driver=driver, skills=["medication"])  # ticked on the van: not enough

    first = _plan(role_users)
    assert first.unplaced.get().fix_value == ["medication"]
    assert "a driver allowed to carry medication" in first.unplaced.get().explanation

    driver.user_permissions.add(Permission.objects.get(codename="carry_medication"))
    driver = type(driver).objects.get(pk=driver.pk)  # a fresh user: permissions are cached on the instance
    second = _plan(role_users)

    assert second.unplaced.count() == 0
    assert Stop.objects.get(order=order).round.driver == driver


def test_every_round_longer_than_its_depots_rule_gets_a_break_inside_the_rule(role_users, town, settings):
    settings.ROUTING_SERVICE_TIME_S = 40 * 60  # two stops: a round of well over an hour
    norte = town["depots"]["norte"][0]
    norte.break_after_minutes, norte.break_minutes = 60, 20
    norte.save(update_fields=["break_after_minutes", "break_minutes"])
    # The others keep the default rule (300 min): a 9–14 shift is exactly 5 h, not longer, so no break.

    run = _plan(role_users)

    rounds = {r.depot.code: r for r in Round.objects.filter(run=run).select_related("depot")}
    assert (rounds["centro"].break_at, rounds["oeste"].break_at) == (None, None)
    north = rounds["norte"]
    shift_start = timezone.localtime(north.start_at).replace(hour=9, minute=0, second=0)
    assert north.end_at - north.start_at > dt.timedelta(minutes=60)
    assert north.start_at <= north.break_at <= shift_start + dt.timedelta(minutes=60)
    # The break sits between services: no stop is being served during it.
    pause = (north.break_at, north.break_at + dt.timedelta(minutes=20))
    for stop in north.stops.all():
        served = (stop.arrival_at, stop.arrival_at + dt.timedelta(seconds=settings.ROUTING_SERVICE_TIME_S))
        assert served[1] <= pause[0] or pause[1] <= served[0]


def test_a_round_shorter_than_the_rule_gets_no_break(role_users, town):
    norte = town["depots"]["norte"][0]
    norte.break_after_minutes, norte.break_minutes = 60, 20  # the 9–14 shift is longer, the round is not
    norte.save(update_fields=["break_after_minutes", "break_minutes"])

    run = _plan(role_users)

    north = Round.objects.get(run=run, depot=norte)
    assert north.end_at - north.start_at < dt.timedelta(minutes=60)
    assert north.break_at is None


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


def test_an_unknown_objective_is_refused_and_nothing_is_queued(role_users, town):
    with pytest.raises(ValidationError) as refused:
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow(), objective="cheapest")

    assert refused.value.code == "unknown_objective"
    assert PlanningRun.objects.count() == 0


def test_plan_day_refuses_an_unknown_objective_before_planning(role_users, town):
    with pytest.raises(CommandError, match="“fastest” is not a planning objective"):
        call_command("plan_day", "--date", tomorrow().isoformat(), "--objective", "fastest")

    assert PlanningRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the command plans once its transaction commits
def test_plan_day_prints_the_plan_as_json(role_users, town, settings, tmp_path):
    settings.MANIFEST_DIR = tmp_path
    settings.ROUTING_SERVICE_TIME_S = 40 * 60  # long enough for the north's rule below to ask for a break
    norte = town["depots"]["norte"][0]
    norte.break_after_minutes, norte.break_minutes = 60, 15
    norte.save(update_fields=["break_after_minutes", "break_minutes"])
    short = _order(role_users, town["depots"]["oeste"][1], pack_with({ItemFactory(): 1}), offset=5)  # no stock
    out = StringIO()

    call_command("plan_day", "--date", tomorrow().isoformat(), "--objective", "balanced", "--json", stdout=out)

    document = json.loads(out.getvalue())
    run = PlanningRun.objects.get()
    assert (document["date"], document["objective"], document["engine"]) == (
        tomorrow().isoformat(),
        "balanced",
        run.engine,
    )
    assert [r["depot"] for r in document["rounds"]] == ["Almacén centro", "Almacén norte", "Almacén oeste"]
    for code, rendered in zip(["centro", "norte", "oeste"], document["rounds"], strict=True):
        round_ = Round.objects.get(run=run, depot__code=code)
        deliveries = [s for s in rendered["stops"] if s["kind"] == "delivery"]
        assert rendered["vehicle"] == f"Furgoneta {code}"
        assert rendered["km"] == round_.distance_km
        assert [s["order"] for s in deliveries] == [
            reference(stop.order) for stop in round_.stops.order_by("sequence").select_related("order__plan__request")
        ]
        assert sorted(s["order"] for s in deliveries) == sorted(reference(o) for o in town["orders"][code])
        first = round_.stops.order_by("sequence").select_related("order__household").first()
        assert deliveries[0]["place"] == f"{first.order.household.address}, 30201, Cartagena"
        assert set(deliveries[0]) == {"kind", "order", "place", "arrival", "window"}
        assert set(deliveries[0]["window"]) == {"start", "end"}
    breaks = [s for s in document["rounds"][1]["stops"] if s["kind"] == "break"]
    assert [(b["order"], b["place"]) for b in breaks] == [(None, None)]
    assert [s["kind"] for s in document["rounds"][0]["stops"]] == ["delivery", "delivery"]
    assert document["left_out"] == [
        {
            "order": f"{short.plan.request.reference}/{short.pk}",
            "code": "stock_short",
            "reason": "Not enough stock to cover the packs: receive stock, then plan again.",
            "fix": None,
        }
    ]


def test_the_planner_serves_an_order_from_another_depot_when_its_own_lacks_the_stock(role_users, town):
    item = ItemFactory()
    pack = pack_with({item: 3})
    oeste, zone = town["depots"]["oeste"]
    centro = town["depots"]["centro"][0]
    _stock(role_users, item, centro, quantity=5, code="C1")
    order = _order(role_users, zone, pack, offset=7)
    assert (order.warehouse, order.status) == (oeste, DeliveryOrder.Status.SHORT)

    order = order_depot_change(actor=role_users["logistics_planner"], order=order, warehouse=centro)

    order.refresh_from_db()
    assert (order.warehouse, order.status) == (centro, DeliveryOrder.Status.RESERVED)


def test_the_planner_brings_the_missing_stock_over_through_the_ledger(role_users, town):
    item = ItemFactory()
    pack = pack_with({item: 3})
    oeste, zone = town["depots"]["oeste"]
    centro = town["depots"]["centro"][0]
    _stock(role_users, item, centro, quantity=5, code="C1")
    _stock(role_users, item, oeste, quantity=1, code="O1")
    order = _order(role_users, zone, pack, offset=7)

    order_stock_transfer(actor=role_users["logistics_planner"], order=order, source=centro)

    order.refresh_from_db()
    assert (order.warehouse, order.status) == (oeste, DeliveryOrder.Status.RESERVED)
    on_hand = {(lot.warehouse.code, lot.lot_code): lot.balance.quantity for lot in StockLot.objects.filter(item=item)}
    assert on_hand == {("centro", "C1"): 3, ("oeste", "O1"): 1, ("oeste", "C1"): 2}


def test_a_transfer_from_a_depot_that_cannot_spare_the_stock_moves_nothing(role_users, town):
    item = ItemFactory()
    pack = pack_with({item: 3})
    oeste, zone = town["depots"]["oeste"]
    centro = town["depots"]["centro"][0]
    _stock(role_users, item, centro, quantity=2, code="C1")
    order = _order(role_users, zone, pack, offset=7)

    with pytest.raises(ValidationError) as refused:
        order_stock_transfer(actor=role_users["logistics_planner"], order=order, source=centro)

    assert refused.value.code == "source_short"
    order.refresh_from_db()
    assert (order.warehouse, order.status) == (oeste, DeliveryOrder.Status.SHORT)
    assert list(StockLot.objects.filter(item=item).values_list("warehouse__code", "lot_code")) == [("centro", "C1")]


def test_serving_an_order_from_its_own_depot_again_is_refused(role_users, town):
    order = town["orders"]["norte"][0]

    with pytest.raises(ValidationError) as refused:
        order_depot_change(actor=role_users["logistics_planner"], order=order, warehouse=order.warehouse)

    assert refused.value.code == "same_depot"


def test_the_board_offers_a_transfer_or_the_other_depot_for_an_order_short_at_its_own(role_users, town, client):
    item = ItemFactory()
    oeste_zone = town["depots"]["oeste"][1]
    _stock(role_users, item, town["depots"]["centro"][0], quantity=5, code="C1")
    order = _order(role_users, oeste_zone, pack_with({item: 3}), offset=7)
    _plan(role_users)
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


def test_a_planned_order_keeps_its_depot(role_users, town):
    _plan(role_users)  # published at once: the orders are planned
    order = DeliveryOrder.objects.get(pk=town["orders"]["norte"][0].pk)

    with pytest.raises(ValidationError) as refused:
        order_depot_change(actor=role_users["logistics_planner"], order=order, warehouse=town["depots"]["centro"][0])

    assert refused.value.code == "order_not_waiting"
    order.refresh_from_db()
    assert (order.warehouse.code, order.status) == ("norte", DeliveryOrder.Status.PLANNED)
