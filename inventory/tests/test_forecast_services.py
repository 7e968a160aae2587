"""The demand forecast, checked against figures worked out by hand."""

import pytest
from django.core.exceptions import ValidationError

from inventory.forecast import forecast, po_create_suggested
from inventory.models import PurchaseOrder
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from inventory.tests.forecast_world import approved_plan, incoming, order_due
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, AidPlanLine, AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive

pytestmark = pytest.mark.django_db


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
