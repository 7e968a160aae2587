"""The cost of the deliveries of a period: packs' value plus the van's cost shared by the delivered stops, per
delivery and per household, by day, zone and programme."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from delivery.models import Round, Stop
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine, Vehicle
from logistics.tests.factories import VehicleFactory
from reports.costs import delivery_costs
from reports.metrics import Period
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from routing.models import PlanningRun
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 4)
NEXT = DAY + dt.timedelta(days=1)
Status = DeliveryOrder.Status


def _round(actor, vehicle, on: dt.date, distance_m: int) -> Round:
    run = PlanningRun.objects.create(date=on, requested_by=actor)
    start = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    return Round.objects.create(
        run=run,
        date=on,
        vehicle=vehicle,
        driver=actor,
        depot=vehicle.depot,
        start_at=start,
        end_at=start + dt.timedelta(hours=4),
        distance_m=distance_m,
    )


@pytest.fixture
def world(role_users):
    """Food pack 5.00, hygiene pack 3.00. On DAY a round of 90 €/day + 12 km × 0.25 = 93.00 delivers o1 (north:
    2 food + 1 hygiene = 13.00) and o2 (no zone: 1 food = 5.00) and fails o4; on NEXT o3 (north, 1 food) is
    collected at the depot and a round of 92.50 (10 km) delivers nothing."""
    rice, soap = ItemFactory(unit_cost=Decimal("2.5000")), ItemFactory(unit_cost=Decimal("3.0000"))
    food, hygiene = pack_with({rice: 2}, programme="food"), pack_with({soap: 1}, programme="hygiene")
    north, nowhere = HouseholdFactory(zone=ZoneFactory(name="Norte")), HouseholdFactory(zone=None)
    plan = approved_plan(role_users)
    warehouse = WarehouseFactory()

    def order(household, due, status, *lines, mode="home"):
        made = DeliveryOrder.objects.create(
            plan=plan, household=household, warehouse=warehouse, due_date=due, status=status, mode=mode
        )
        for pack, units in lines:
            DeliveryOrderLine.objects.create(order=made, pack=pack, quantity=units)
        return made

    o1 = order(north, DAY, Status.DELIVERED, (food, 2), (hygiene, 1))
    o2 = order(nowhere, DAY, Status.DELIVERED, (food, 1))
    collected = order(north, NEXT, Status.DELIVERED, (food, 1), mode="pickup")
    collected.collected_at = timezone.make_aware(dt.datetime.combine(NEXT, dt.time(11)))
    collected.save(update_fields=["collected_at"])
    o4 = order(nowhere, DAY, Status.FAILED, (food, 1))
    vehicle = VehicleFactory(depot=warehouse, daily_cost=Decimal("90.00"), cost_per_km=Decimal("0.250"))
    driver = role_users["driver"]
    first = _round(driver, vehicle, DAY, 12_000)
    arrival = first.start_at
    Stop.objects.create(round=first, order=o1, sequence=1, arrival_at=arrival, outcome="delivered")
    Stop.objects.create(round=first, order=o2, sequence=2, arrival_at=arrival, outcome="delivered")
    Stop.objects.create(
        round=first, order=o4, sequence=3, arrival_at=arrival, outcome="failed", failure_reason="not_home"
    )
    second = _round(driver, vehicle, NEXT, 10_000)
    Stop.objects.create(
        round=second, order=o4, sequence=1, arrival_at=arrival, outcome="failed", failure_reason="not_home"
    )


def as_tuple(row):
    return (row.key, row.deliveries, row.households, row.packs_value, row.van_cost)


def test_the_total_adds_packs_and_every_round_and_divides_by_deliveries_and_households(world):
    costs = delivery_costs(period=Period(DAY, NEXT))

    assert as_tuple(costs.total) == ("", 3, 2, Decimal("23.00"), Decimal("185.50"))
    assert (costs.total.total, costs.total.per_delivery, costs.total.per_household) == (
        Decimal("208.50"),
        Decimal("69.50"),
        Decimal("104.25"),
    )
    assert costs.van_cost_not_shared == Decimal("92.50")


def test_costs_by_day_zone_and_programme_share_the_van_among_delivered_stops(world):
    costs = delivery_costs(period=Period(DAY, NEXT))

    assert [as_tuple(row) for row in costs.by_day] == [
        (DAY, 2, 2, Decimal("18.00"), Decimal("93.00")),
        (NEXT, 1, 1, Decimal("5.00"), Decimal("0.00")),
    ]
    assert [as_tuple(row) for row in costs.by_zone] == [
        ("", 1, 1, Decimal("5.00"), Decimal("46.50")),
        ("Norte", 2, 1, Decimal("18.00"), Decimal("46.50")),
    ]
    # o1's 46.50 split by its packs: 2 food, 1 hygiene.
    assert [as_tuple(row) for row in costs.by_programme] == [
        ("food", 3, 2, Decimal("20.00"), Decimal("77.50")),
        ("hygiene", 1, 1, Decimal("3.00"), Decimal("15.50")),
    ]


def test_a_period_without_deliveries_costs_only_its_rounds(world):
    costs = delivery_costs(period=Period(NEXT + dt.timedelta(days=1), NEXT + dt.timedelta(days=7)))

    assert as_tuple(costs.total) == ("", 0, 0, Decimal("0.00"), Decimal("0.00"))
    assert (costs.total.per_delivery, costs.total.per_household) == (None, None)


def test_a_negative_vehicle_cost_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VehicleFactory(daily_cost=Decimal("-1.00"))

    assert Vehicle.objects.count() == 0
