"""A small town of three depots for the city-rules tests: each depot with its zone, stock received, orders approved
for its households and the day planned. The `town` fixture (conftest.py) builds the whole town."""

from decimal import Decimal

from core.tests.factories import tomorrow
from inventory.ledger import lot_receive
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder
from requests_intake.decisions import aid_request_approve
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute

# Three depots of a small town, each with its zone's households a few hundred metres away.
DEPOTS = {
    "norte": (Decimal("37.640000"), Decimal("-0.990000")),
    "centro": (Decimal("37.605000"), Decimal("-0.985000")),
    "oeste": (Decimal("37.600000"), Decimal("-1.020000")),
}


def town_depot(code: str, **fields):
    latitude, longitude = DEPOTS[code]
    warehouse = WarehouseFactory(code=code, name=f"Almacén {code}", latitude=latitude, longitude=longitude, **fields)
    return warehouse, ZoneFactory(code=f"zona-{code}", name=f"Zona {code}", depot=warehouse)


def town_stock(role_users, item, warehouse, quantity: int = 50, code: str = "L1"):
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code=code,
        quantity=quantity,
        expiry_date=None,
    )


def town_order(role_users, zone, pack, *, offset: int = 0, household=None, **plan) -> DeliveryOrder:
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


def town_plan(role_users, objective: str = PlanningRun.Objective.VANS) -> PlanningRun:
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], objective=objective)
    planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run
