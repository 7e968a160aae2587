"""Aid collected at the depot, the services: the counter's list, handing an order over, and the day close."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.day_close import day_close
from delivery.pickup import order_collect, pickups_due
from delivery.tests.pickup_world import _pickup, _unchanged
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order, day_from_today

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


# The list at the counter


def test_the_counter_lists_reserved_pickup_orders_due_by_the_day(role_users):
    order, _item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)

    assert list(pickups_due(tomorrow())) == [order]
    assert list(pickups_due(day_from_today(5))) == [order]  # a household that comes late still collects
    assert list(pickups_due(timezone.localdate())) == []  # not yet due


def test_home_deliveries_and_orders_without_stock_are_not_at_the_counter(role_users):
    home, _item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    short, _item2, _warehouse2 = approved_order(role_users, on_hand=1, per_pack=2)
    _pickup(short)

    assert (home.status, short.status) == (S.RESERVED, S.SHORT)
    assert list(pickups_due(tomorrow())) == []


def test_the_counter_can_be_narrowed_to_one_depot(role_users):
    order, _item, warehouse = approved_order(role_users)
    _pickup(order)
    elsewhere = WarehouseFactory(code="norte", name="Almacén norte")

    assert list(pickups_due(tomorrow(), warehouse)) == [order]
    assert list(pickups_due(tomorrow(), elsewhere)) == []


# Handing over


def test_a_home_delivery_cannot_be_collected_at_the_counter(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="Rosa Martínez")
    assert refused.value.code == "not_a_pickup"

    _unchanged(order, item)


def test_an_order_without_its_stock_reserved_cannot_be_collected(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=1, per_pack=2)
    _pickup(order)

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="Rosa Martínez")
    assert refused.value.code == "no_stock_reserved"

    _unchanged(order, item, status=S.SHORT, on_hand=1)


def test_a_name_longer_than_the_record_holds_is_refused(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="R" * 121)
    assert [error.code for error in refused.value.error_dict["collected_by"]] == ["too_long"]

    _unchanged(order, item)


def test_an_order_already_collected_is_refused_and_counted_once(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    order_collect(actor=role_users["logistics_planner"], order=order, collected_by="Rosa Martínez")

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="Otra persona")

    assert refused.value.code == "already_collected"
    order.refresh_from_db()
    assert order.collected_by == "Rosa Martínez"
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 8}


def test_a_cancelled_pickup_order_cannot_be_handed_over(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    DeliveryOrder.objects.filter(pk=order.pk).update(status=S.CANCELLED)

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="Rosa Martínez")

    assert refused.value.code == "not_collectable"
    _unchanged(order, item, status=S.CANCELLED)


# The day close


def test_the_day_close_counts_a_collection_and_finds_it_agrees(role_users):
    order, _item, _warehouse = approved_order(role_users)
    order_collect(actor=role_users["logistics_planner"], order=_pickup(order), collected_by="Rosa")

    close = day_close(timezone.localdate())

    assert close.collected == [order]
    assert close.problems == []


def test_the_day_close_flags_a_collection_the_ledger_does_not_show(role_users):
    order, _item, _warehouse = approved_order(role_users)
    _pickup(order)
    # Marked collected by hand, past the service: no stock left and nobody was told.
    DeliveryOrder.objects.filter(pk=order.pk).update(
        status=S.DELIVERED, collected_by="Rosa", collected_at=timezone.now()
    )

    problems = day_close(timezone.localdate()).problems

    name = order.household.full_name
    assert f"{name}: collected at the depot, but no stock left the ledger for it." in problems
    assert f"{name}: collected at the depot, but stock is still reserved for it." in problems
    assert f"{name}: collected at the depot, but the requester was not told." in problems
