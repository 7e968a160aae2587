"""The demand forecast, checked against figures worked out by hand, and the supplier coordinator's dashboard."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inventory.forecast import forecast, po_create_suggested
from inventory.models import PurchaseOrder, StockAlert
from inventory.purchasing import po_create
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan, AidPlanLine, AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive

pytestmark = pytest.mark.django_db


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


def test_the_forecast_matches_the_hand_computed_case(hand_case):
    item, warehouse, _pack = hand_case

    row = forecast().row(item_id=item.pk, warehouse_id=warehouse.pk)

    assert row.on_hand == 30
    assert list(row.demand) == [0, 6, 0, 0, 8, 8, 8, 8, 6] + [0] * 6 + [6] + [0] * 6 + [6] + [0] * 5
    assert list(row.incoming) == [0] * 5 + [20] + [0] * 22
    assert list(row.expiring) == [0, 0, 0, 4] + [0] * 24
    assert list(row.projected) == [30, 24, 24, 20, 12, 24, 16, 8] + [2] * 7 + [-4] * 7 + [-10] * 6
    assert row.runs_out_on == day(15)
    assert row.shortfall == 10
    assert row.reorder_point == 11
    assert row.suggested_quantity == 9
    assert row.days_of_cover == 15.0
    assert row.demand_next_7 == 30
    assert row.demand_total == 56
    assert [(lot.lot_code, lot.expiry_date, lot.units) for lot in row.expiring_unused] == [("SOON", day(3), 4)]


def test_a_plan_occurrence_that_already_has_an_order_is_counted_once(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    pack = pack_with({item: 1})
    plan = approved_plan(role_users, pack, 2, day(1), repeat_every_days=7)
    order_due(plan, warehouse, day(8), pack, 2)  # the next occurrence was already turned into an order

    row = forecast(horizon_days=21).row(item_id=item.pk, warehouse_id=warehouse.pk)

    # Orders on days 1 and 8; the plan adds only day 15. Counting occurrences from its first date would double 1 and 8.
    assert {n: units for n, units in enumerate(row.demand) if units} == {1: 2, 8: 2, 15: 2}


def test_plan_occurrences_stop_at_repeat_until_and_need_an_approved_request(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    pack = pack_with({item: 1})
    approved_plan(role_users, pack, 1, day(0), repeat_every_days=5, repeat_until=day(12))
    waiting = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    unapproved = AidPlan.objects.create(request=waiting, first_delivery_on=day(0), repeat_every_days=1)
    AidPlanLine.objects.create(plan=unapproved, pack=pack, quantity=50)
    assert waiting.status == AidRequest.Status.IN_ASSESSMENT

    row = forecast(horizon_days=28).row(item_id=item.pk, warehouse_id=warehouse.pk)

    assert {n: units for n, units in enumerate(row.demand) if units} == {0: 1, 5: 1, 10: 1}


def test_delivered_and_cancelled_orders_are_not_demand_and_overdue_ones_are_due_today(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    pack = pack_with({item: 1})
    plan = approved_plan(role_users, pack, 1, day(2))
    order_due(plan, warehouse, day(3), pack, 10, status=DeliveryOrder.Status.DELIVERED)
    order_due(plan, warehouse, day(3), pack, 20, status=DeliveryOrder.Status.CANCELLED)
    order_due(plan, warehouse, day(-2), pack, 4, status=DeliveryOrder.Status.SHORT)

    row = forecast(horizon_days=7).row(item_id=item.pk, warehouse_id=warehouse.pk)

    assert list(row.demand) == [4, 0, 1, 0, 0, 0, 0]


def test_assembled_packs_are_supply_of_their_items_and_expired_lots_are_not(role_users):
    warehouse = WarehouseFactory()
    rice, oil = ItemFactory(), ItemFactory()
    kit = ItemFactory(category="kit")
    pack = pack_with({rice: 2, oil: 1}, stock_item=kit)
    receive(role_users, kit, warehouse, "KIT-1", 3)  # 3 assembled packs = 6 rice + 3 oil
    receive(role_users, rice, warehouse, "R-1", 4)
    receive(role_users, oil, warehouse, "OLD", 9, expiry=day(-1), received_on=day(-30))
    plan = approved_plan(role_users, pack, 1, day(1))
    order_due(plan, warehouse, day(2), pack, 3)

    result = forecast(horizon_days=3)

    rice_row = result.row(item_id=rice.pk, warehouse_id=warehouse.pk)
    oil_row = result.row(item_id=oil.pk, warehouse_id=warehouse.pk)
    assert (rice_row.on_hand, list(rice_row.demand), list(rice_row.projected)) == (10, [0, 2, 6], [10, 8, 2])
    assert (oil_row.on_hand, list(oil_row.demand), list(oil_row.projected)) == (3, [0, 1, 3], [3, 2, -1])
    assert oil_row.runs_out_on == day(2)
    assert result.row(item_id=kit.pk, warehouse_id=warehouse.pk) is None


def test_only_sent_purchase_orders_bring_their_outstanding_units(role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    incoming(role_users, item, warehouse, 7, day(2))
    incoming(role_users, item, warehouse, 100, day(2), status=PurchaseOrder.Status.DRAFT)
    partly = incoming(role_users, item, warehouse, 10, day(-3), status=PurchaseOrder.Status.PARTLY_RECEIVED)
    partly.lines.update(quantity_received=6)  # 4 still to come, late: expected today

    row = forecast(horizon_days=4).row(item_id=item.pk, warehouse_id=warehouse.pk)

    assert list(row.incoming) == [4, 0, 7, 0]
    assert list(row.projected) == [4, 4, 11, 11]


def test_a_warehouse_forecast_leaves_out_other_warehouses(role_users):
    here, there = WarehouseFactory(code="here"), WarehouseFactory(code="there")
    item = ItemFactory()
    receive(role_users, item, here, "H", 5)
    receive(role_users, item, there, "T", 8)

    result = forecast(horizon_days=2, warehouse=there)

    assert [(row.warehouse.code, row.on_hand) for row in result.rows] == [("there", 8)]


@pytest.mark.parametrize("horizon", [0, -3, 367, "28"])
def test_a_horizon_out_of_range_is_refused(horizon):
    with pytest.raises(ValidationError) as refused:
        forecast(horizon_days=horizon)
    assert refused.value.code == "horizon_out_of_range"


def test_no_item_needs_no_suggestion_and_an_item_without_activity_has_no_row(role_users):
    item = ItemFactory(preferred_supplier=SupplierFactory())
    warehouse = WarehouseFactory()

    assert forecast().rows == ()
    with pytest.raises(ValidationError) as refused:
        po_create_suggested(actor=role_users["supplier_coordinator"], item=item, warehouse=warehouse)
    assert refused.value.code == "nothing_to_order"
    assert PurchaseOrder.objects.count() == 0


# The dashboard


@pytest.mark.parametrize(
    ("role", "status"),
    [("supplier_coordinator", 200), ("manager", 200), ("driver", 403), ("social_worker", 403)],
)
def test_the_supply_dashboard_is_for_those_who_watch_stock(client, role_users, role, status):
    client.force_login(role_users[role])

    assert client.get(reverse("supply_dashboard")).status_code == status


def test_the_dashboard_shows_tomorrows_shortfall_the_forecast_and_the_cover_chart(client, role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory(name_en="Chickpeas", preferred_supplier=SupplierFactory(name="Legumbres Sur"))
    pack = pack_with({item: 1})
    receive(role_users, item, warehouse, "C-1", 3, expiry=day(20))
    plan = approved_plan(role_users, pack, 2, day(1))  # reserves 2 of the 3
    order_due(plan, warehouse, day(1), pack, 5)  # 7 due tomorrow, 3 on hand: 4 missing
    client.force_login(role_users["supplier_coordinator"])

    page = client.get(reverse("supply_dashboard"))

    assert page.status_code == 200
    html = page.content.decode()
    short = page.context["short_tomorrow"]
    assert [(entry["row"].item, entry["demand"], entry["available"], entry["missing"]) for entry in short] == [
        (item, 7, 3, 4)
    ]
    assert "Legumbres Sur" in html
    assert "Create purchase order" in html
    assert "<svg" in html
    assert "<polyline" in html
    assert f"{item.sku} · Chickpeas — runs out" in html  # the chart's legend


def test_the_cover_chart_is_left_out_when_nothing_runs_out(client, role_users):
    item = ItemFactory()
    receive(role_users, item, WarehouseFactory(), "PLENTY", 50)
    client.force_login(role_users["manager"])

    page = client.get(reverse("supply_dashboard"))

    assert page.context["chart"] is None
    assert "No item runs out in the next 28 days." in page.content.decode()
    assert "Create purchase order" not in page.content.decode()  # the manager cannot order


def test_creating_a_purchase_order_from_the_forecast_makes_a_draft_with_the_suggested_quantity(
    client, role_users, hand_case
):
    item, warehouse, _pack = hand_case
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk})

    order = PurchaseOrder.objects.get(status=PurchaseOrder.Status.DRAFT)
    assert response.status_code == 302
    assert response.url == reverse("purchase_order_detail", kwargs={"pk": order.pk})
    assert (order.supplier, order.warehouse) == (item.preferred_supplier, warehouse)
    assert [(line.item, line.quantity_ordered) for line in order.lines.all()] == [(item, 9)]


def test_an_item_without_a_preferred_supplier_cannot_be_ordered_from_the_forecast(client, role_users, hand_case):
    item, warehouse, _pack = hand_case
    item.preferred_supplier = None
    item.save(update_fields=["preferred_supplier"])
    before = PurchaseOrder.objects.count()
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk}, follow=True)

    assert PurchaseOrder.objects.count() == before
    assert response.redirect_chain == [(reverse("supply_dashboard"), 302)]
    assert "has no preferred supplier" in response.content.decode()


def test_ordering_from_the_forecast_needs_the_right_to_create_purchase_orders(client, role_users, hand_case):
    item, warehouse, _pack = hand_case
    client.force_login(role_users["manager"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk})

    assert response.status_code == 403
    assert PurchaseOrder.objects.filter(status=PurchaseOrder.Status.DRAFT).count() == 0


def test_ordering_an_unknown_item_is_refused_with_a_message(client, role_users):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": "rice", "warehouse": ""}, follow=True)

    assert PurchaseOrder.objects.count() == 0
    assert "Choose an item and a warehouse from the forecast" in response.content.decode()


def test_the_dashboard_lists_open_alerts_with_an_acknowledge_button(client, role_users):
    item = ItemFactory()
    warehouse = WarehouseFactory()
    lot = receive(role_users, item, warehouse, "OLD", 3, expiry=day(-1), received_on=day(-10))
    StockAlert.objects.create(
        kind="expired",
        key=f"expired:{item.pk}:{warehouse.pk}:{lot.pk}",
        item=item,
        warehouse=warehouse,
        lot=lot,
        on_date=day(-1),
        quantity=3,
        last_seen=timezone.now(),
    )
    client.force_login(role_users["supplier_coordinator"])

    html = client.get(reverse("supply_dashboard")).content.decode()

    assert "Expired" in html
    assert "OLD" in html
    assert "Acknowledge" in html
