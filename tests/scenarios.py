"""Small worlds built through the real services, for tests that start mid-way through the flow."""

import datetime as dt

from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Stop
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.tests.factories import VehicleFactory
from requests_intake.decisions import aid_request_approve
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute


def approved_order(
    role_users, *, on_hand: int = 10, per_pack: int = 2, household=None, same_day_confirmed: bool = False
):
    """A warehouse with one item, a pack of `per_pack` units, and one approved order due tomorrow.

    A household that already gets aid tomorrow needs `same_day_confirmed`, as the social worker's tick."""
    warehouse = WarehouseFactory()
    item = ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code="L1",
        quantity=on_hand,
        expiry_date=None,
    )
    pack = pack_with({item: per_pack})
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=household or HouseholdFactory(),
        channel="phone",
        needs=["food"],
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack, 1)],
        priority=1,
        first_delivery_on=tomorrow(),
        same_day_confirmed=same_day_confirmed,
    )
    return plan.orders.get(), item, warehouse


def planned_stop(role_users, **kwargs) -> Stop:
    order, _item, warehouse = approved_order(role_users, **kwargs)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    return Stop.objects.get(order=order)


def approved_plan(role_users, *, packs=None, household=None, **plan):
    """An approved aid plan due tomorrow, for one pack of a stocked item unless `packs` says otherwise.

    `plan` passes on to the approval (repeat_every_days, valid_until, …)."""
    if packs is None:
        item = ItemFactory()
        lot_receive(
            actor=role_users["supplier_coordinator"],
            item=item,
            warehouse=WarehouseFactory(),
            lot_code="L",
            quantity=100,
            expiry_date=None,
        )
        packs = [(pack_with({item: 2}), 1)]
    else:
        WarehouseFactory()
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=household or HouseholdFactory(),
        channel="phone",
        needs=["food"],
    )
    return aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=packs,
        priority=1,
        first_delivery_on=tomorrow(),
        **plan,
    )


def day_from_today(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def stock_received(role_users, item, warehouse, code, quantity, expiry=None, received_on=None):
    """A lot received by the supplier coordinator."""
    return lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=warehouse,
        lot_code=code,
        quantity=quantity,
        expiry_date=expiry,
        received_on=received_on,
    )
