"""The city's rules in planning: each zone served from its depot, breaks, refrigerated vans, two-person crews,
medication drivers, the planner's objective, an order served from another depot, and `plan_day --json`."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from inventory.models import StockLot
from inventory.tests.factories import ItemFactory, pack_with
from logistics.depots import order_depot_change, order_stock_transfer
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from logistics.week_plan import reference
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_start
from routing.tests.pharmacy_world import pharmacy_open
from routing.tests.town import town_depot, town_order, town_plan, town_stock

pytestmark = pytest.mark.django_db


def test_a_new_order_goes_to_its_zones_depot(town):
    for code, orders in town["orders"].items():
        assert [order.warehouse.code for order in orders] == [code, code]
        assert [order.status for order in orders] == [DeliveryOrder.Status.RESERVED] * 2


def test_a_three_depot_day_has_rounds_from_every_depot_each_carrying_its_zones_orders(role_users, town):
    run = town_plan(role_users)

    assert sorted(Round.objects.filter(run=run).values_list("depot__code", flat=True)) == ["centro", "norte", "oeste"]
    for code, orders in town["orders"].items():
        rounds = {Stop.objects.get(order=order).round for order in orders}
        assert [(r.depot.code, r.vehicle.name) for r in rounds] == [(code, f"Furgoneta {code}")]
    assert run.unplaced.count() == 0


def test_a_cold_chain_order_rides_only_the_refrigerated_van(role_users):
    warehouse, zone = town_depot("centro")
    cold = ItemFactory(cold_chain=True)
    town_stock(role_users, cold, warehouse)
    order = town_order(role_users, zone, pack_with({cold: 1}))
    VehicleFactory(name="A seca", depot=warehouse)  # first by name and pk: it would be chosen were it allowed
    VehicleFactory(name="B frío", depot=warehouse, skills=["cold_chain"])

    town_plan(role_users)

    assert Stop.objects.get(order=order).round.vehicle.name == "B frío"


def test_a_cold_chain_order_without_a_refrigerated_van_is_left_out_naming_the_rule(role_users):
    warehouse, zone = town_depot("centro")
    cold = ItemFactory(cold_chain=True)
    town_stock(role_users, cold, warehouse)
    order = town_order(role_users, zone, pack_with({cold: 1}))
    VehicleFactory(depot=warehouse)

    run = town_plan(role_users)

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
    warehouse, zone = town_depot("centro")
    item = ItemFactory()
    town_stock(role_users, item, warehouse)
    heavy = town_order(
        role_users, zone, pack_with({item: 2}), household=HouseholdFactory(zone=zone, needs_two_people=True)
    )
    VehicleFactory(name="A sola", depot=warehouse)
    VehicleFactory(name="B pareja", depot=warehouse, crew_size=2)

    town_plan(role_users)

    assert Stop.objects.get(order=heavy).round.vehicle.name == "B pareja"


def test_a_two_person_delivery_without_such_a_crew_is_left_out_saying_so(role_users):
    warehouse, zone = town_depot("centro")
    item = ItemFactory()
    town_stock(role_users, item, warehouse)
    town_order(role_users, zone, pack_with({item: 2}), household=HouseholdFactory(zone=zone, needs_two_people=True))
    VehicleFactory(depot=warehouse)

    unplaced = town_plan(role_users).unplaced.get()

    assert unplaced.fix_value == ["two_people"]
    assert unplaced.explanation.endswith("It needs a van with a crew of two: make one available that day.")


def test_medication_goes_only_with_a_driver_allowed_to_carry_it(role_users):
    warehouse, zone = town_depot("centro")
    item = ItemFactory()
    town_stock(role_users, item, warehouse)
    # Open tomorrow whatever weekday that is (PharmacyFactory's pharmacy closes on Sundays).
    order = town_order(role_users, zone, pack_with({item: 2}), pharmacy=pharmacy_open(name="Farmacia Central"))
    driver = role_users["driver"]
    VehicleFactory(depot=warehouse, driver=driver, skills=["medication"])  # ticked on the van: not enough

    first = town_plan(role_users)
    assert first.unplaced.get().fix_value == ["medication"]
    assert "a driver allowed to carry medication" in first.unplaced.get().explanation

    driver.user_permissions.add(Permission.objects.get(codename="carry_medication"))
    driver = type(driver).objects.get(pk=driver.pk)  # a fresh user: permissions are cached on the instance
    second = town_plan(role_users)

    assert second.unplaced.count() == 0
    assert Stop.objects.get(order=order, kind=Stop.Kind.DELIVERY).round.driver == driver


def test_every_round_longer_than_its_depots_rule_gets_a_break_inside_the_rule(role_users, town, settings):
    settings.ROUTING_SERVICE_TIME_S = 40 * 60  # two stops: a round of well over an hour
    norte = town["depots"]["norte"][0]
    norte.break_after_minutes, norte.break_minutes = 60, 20
    norte.save(update_fields=["break_after_minutes", "break_minutes"])
    # The others keep the default rule (300 min): a 9–14 shift is exactly 5 h, not longer, so no break.

    run = town_plan(role_users)

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

    run = town_plan(role_users)

    north = Round.objects.get(run=run, depot=norte)
    assert north.end_at - north.start_at < dt.timedelta(minutes=60)
    assert north.break_at is None


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
    short = town_order(role_users, town["depots"]["oeste"][1], pack_with({ItemFactory(): 1}), offset=5)  # no stock
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
    town_stock(role_users, item, centro, quantity=5, code="C1")
    order = town_order(role_users, zone, pack, offset=7)
    assert (order.warehouse, order.status) == (oeste, DeliveryOrder.Status.SHORT)

    order = order_depot_change(actor=role_users["logistics_planner"], order=order, warehouse=centro)

    order.refresh_from_db()
    assert (order.warehouse, order.status) == (centro, DeliveryOrder.Status.RESERVED)


def test_the_planner_brings_the_missing_stock_over_through_the_ledger(role_users, town):
    item = ItemFactory()
    pack = pack_with({item: 3})
    oeste, zone = town["depots"]["oeste"]
    centro = town["depots"]["centro"][0]
    town_stock(role_users, item, centro, quantity=5, code="C1")
    town_stock(role_users, item, oeste, quantity=1, code="O1")
    order = town_order(role_users, zone, pack, offset=7)

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
    town_stock(role_users, item, centro, quantity=2, code="C1")
    order = town_order(role_users, zone, pack, offset=7)

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


def test_a_planned_order_keeps_its_depot(role_users, town):
    town_plan(role_users)  # published at once: the orders are planned
    order = DeliveryOrder.objects.get(pk=town["orders"]["norte"][0].pk)

    with pytest.raises(ValidationError) as refused:
        order_depot_change(actor=role_users["logistics_planner"], order=order, warehouse=town["depots"]["centro"][0])

    assert refused.value.code == "order_not_waiting"
    order.refresh_from_db()
    assert (order.warehouse.code, order.status) == ("norte", DeliveryOrder.Status.PLANNED)
