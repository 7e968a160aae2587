"""What the forecast tests share: the worked example (hand_case) and the plans, orders and purchase orders
they are built from."""

import pytest

from inventory.models import PurchaseOrder
from inventory.purchasing import po_create
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive


def approved_plan(role_users, pack, quantity, first_on, **repeat) -> AidPlan:
    """Approve a request the way the social worker does (which makes the first order), then set the repetition."""
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack, quantity)],
        priority=1,
        first_delivery_on=first_on,
    )
    if repeat:
        AidPlan.objects.filter(pk=plan.pk).update(**repeat)
        plan.refresh_from_db()
    return plan


def order_due(plan, warehouse, due, pack, quantity, status=DeliveryOrder.Status.PENDING) -> DeliveryOrder:
    order = DeliveryOrder.objects.create(
        plan=plan, household=plan.request.household, warehouse=warehouse, due_date=due, status=status
    )
    DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=quantity)
    return order


def incoming(role_users, item, warehouse, quantity, expected_on, status=PurchaseOrder.Status.SENT):
    order = po_create(
        actor=role_users["supplier_coordinator"],
        supplier=SupplierFactory(),
        warehouse=warehouse,
        lines=[(item, quantity)],
        expected_on=expected_on,
    )
    PurchaseOrder.objects.filter(pk=order.pk).update(status=status)
    return order


@pytest.fixture
def hand_case(role_users):
    """The worked example (day 0 is today; the item comes 2 to a pack):

    Supply: lot SOON 10 units expiring day 3, lot LONG 20 units without expiry (on hand 30); a sent purchase order
    of 20 arriving day 5. Preferred supplier lead time 4 days, safety stock 5.
    Demand: one-off orders of 4 packs (8 units) due days 4, 5, 6 and 7; a weekly plan of 3 packs (6 units) whose
    first order is due day 1, so its next occurrences are days 8, 15 and 22 (day 1 already has its order).
    Demand per day: d1=6, d4=d5=d6=d7=8, d8=6, d15=6, d22=6; 56 units over the 28 days.

    Day by day, first-expiring lot first (end-of-day on hand):
      d0 30 · d1 SOON 10→4: 24 · d2 24 · d3 SOON expires with 4 unused: 20 · d4 LONG 20→12: 12
      d5 +20 arrives, LONG 12→4: 24 · d6 LONG 4→0, new 20→16: 16 · d7 8 · d8 2 · d9..d14 2
      d15 needs 6, has 2: −4 (runs out on day 15) · d16..d21 −4 · d22 −10 · d23..d27 −10
    Reorder point = demand over the 4-day lead time (d0..d3 = 6) + safety 5 = 11.
    Suggested = demand over lead time + 14-day review (d0..d17 = 6+8+8+8+8+6+6 = 50) + safety 5
                − (on hand 30 + arriving 20 − expiring unused 4 = 46) = 9  (= safety 5 − projected d17 −4).
    Days of cover = 30 on hand / (56 / 28 per day) = 15.0.
    """
    warehouse = WarehouseFactory()
    item = ItemFactory(safety_stock=5, preferred_supplier=SupplierFactory(lead_time_days=4))
    pack = pack_with({item: 2})
    receive(role_users, item, warehouse, "SOON", 10, expiry=day(3))
    receive(role_users, item, warehouse, "LONG", 20)
    approved_plan(role_users, pack, 3, day(1), repeat_every_days=7)
    one_off = approved_plan(role_users, pack, 4, day(4))
    for n in (5, 6, 7):
        order_due(one_off, warehouse, day(n), pack, 4)
    incoming(role_users, item, warehouse, 20, day(5))
    return item, warehouse, pack
