"""An order short of one item names it, and its packs in stock can go while the rest stays owed."""

import pytest
from django.core.exceptions import ValidationError

from inventory.ledger import lot_receive
from inventory.models import Reservation
from logistics.models import DeliveryOrder
from logistics.services import orders_reserve_due
from logistics.shortages import Shortage, order_send_what_is_there, orders_shortages
from logistics.tests.day_short_world import short_order

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def _lines(order) -> list[tuple[str, int]]:
    return sorted(order.lines.values_list("pack__name", "quantity"))


def test_a_short_order_names_the_item_it_lacks_with_what_it_needs_and_what_is_free(role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, formula=1)
    assert order.status == S.SHORT

    assert orders_shortages([order], on=order.due_date) == {order.pk: [Shortage("Leche de fórmula", 4, 1)]}


def test_a_short_order_whose_stock_came_lacks_nothing(role_users):
    order, _rice, formula, warehouse = short_order(role_users)
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=formula,
        warehouse=warehouse,
        lot_code="F",
        quantity=4,
        expiry_date=None,
    )

    assert orders_shortages([order], on=order.due_date) == {order.pk: []}


def test_an_order_holding_its_stock_lacks_nothing(role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, formula=4)
    assert order.status == S.RESERVED

    assert orders_shortages([order], on=order.due_date) == {order.pk: []}


def test_the_packs_in_stock_go_and_the_short_pack_is_owed_on_its_own_order(role_users):
    order, rice, formula, _warehouse = short_order(role_users)

    owed = order_send_what_is_there(actor=role_users["logistics_planner"], order=order)

    order.refresh_from_db()
    assert order.status == S.RESERVED
    assert _lines(order) == [("Lote de alimentos", 1)]
    assert owed.status == S.SHORT
    assert _lines(owed) == [("Lote bebé", 1)]
    assert (owed.plan_id, owed.household_id, owed.due_date, owed.window_start, owed.window_end, owed.priority) == (
        order.plan_id, order.household_id, order.due_date, order.window_start, order.window_end, order.priority,
    )  # fmt: skip
    assert str(order.pk) in owed.notes
    held = Reservation.objects.filter(status=Reservation.Status.ACTIVE)
    assert sorted(held.values_list("order", "item", "quantity")) == [(order.pk, rice.pk, 2)]
    assert not held.filter(item=formula).exists()


def test_the_owed_order_is_reserved_once_its_stock_comes(role_users):
    order, _rice, formula, warehouse = short_order(role_users)
    owed = order_send_what_is_there(actor=role_users["logistics_planner"], order=order)
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=formula,
        warehouse=warehouse,
        lot_code="F",
        quantity=4,
        expiry_date=None,
    )

    orders_reserve_due(date=owed.due_date)

    owed.refresh_from_db()
    assert owed.status == S.RESERVED


def test_a_line_partly_in_stock_sends_what_the_stock_builds(role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, rice=4, food_packs=3)

    owed = order_send_what_is_there(actor=role_users["logistics_planner"], order=order)

    assert _lines(order) == [("Lote de alimentos", 2)]
    assert _lines(owed) == [("Lote bebé", 1), ("Lote de alimentos", 1)]


def test_nothing_in_stock_is_refused_and_nothing_changes(role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, rice=0)

    with pytest.raises(ValidationError) as refused:
        order_send_what_is_there(actor=role_users["logistics_planner"], order=order)

    assert refused.value.code == "nothing_in_stock"
    order.refresh_from_db()
    assert order.status == S.SHORT
    assert _lines(order) == [("Lote bebé", 1), ("Lote de alimentos", 1)]
    assert DeliveryOrder.objects.count() == 1


def test_an_order_all_in_stock_by_now_is_reserved_whole(role_users):
    order, _rice, formula, warehouse = short_order(role_users)
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=formula,
        warehouse=warehouse,
        lot_code="F",
        quantity=4,
        expiry_date=None,
    )

    assert order_send_what_is_there(actor=role_users["logistics_planner"], order=order) is None

    order.refresh_from_db()
    assert order.status == S.RESERVED
    assert DeliveryOrder.objects.count() == 1


def test_an_order_not_waiting_for_stock_is_refused(role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, formula=4)
    assert order.status == S.RESERVED

    with pytest.raises(ValidationError) as refused:
        order_send_what_is_there(actor=role_users["logistics_planner"], order=order)

    assert refused.value.code == "order_not_short"
    assert DeliveryOrder.objects.count() == 1
