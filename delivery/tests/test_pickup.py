"""Aid collected at the depot: the counter's list, and handing an order over like a delivery."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.day_close import day_close
from delivery.pickup import order_collect, pickups_due
from inventory.models import Reservation, StockMovement
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder
from requests_intake.models import Notification
from tests.scenarios import approved_order, day_from_today

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def _pickup(order: DeliveryOrder) -> DeliveryOrder:
    """The order as approval makes it when the plan says the household collects."""
    order.plan.pickup = True
    order.plan.save(update_fields=["pickup"])
    order.mode = DeliveryOrder.Mode.PICKUP
    order.save(update_fields=["mode"])
    return order


def _delivered_notifications(order: DeliveryOrder) -> int:
    return Notification.objects.filter(request=order.plan.request, event=Notification.Event.DELIVERED).count()


def _unchanged(order: DeliveryOrder, item, status: str = S.RESERVED, on_hand: int = 10) -> None:
    order.refresh_from_db()
    assert (order.status, order.collected_by, order.collected_at) == (status, "", None)
    assert StockMovement.objects.filter(kind=StockMovement.Kind.DISPATCH).count() == 0
    assert on_hand_by_item(warehouse=order.warehouse) == {item.pk: on_hand}
    assert _delivered_notifications(order) == 0


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


def test_collecting_dispatches_the_stock_delivers_the_order_and_tells_the_requester(client, role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("pickup_collect", args=[order.pk]), {"collected_by": "  Rosa Martínez ", "date": tomorrow()}
    )

    assert response.status_code == 302
    assert response.url == f"{reverse('pickups')}?date={tomorrow().isoformat()}"
    order.refresh_from_db()
    assert (order.status, order.collected_by) == (S.DELIVERED, "Rosa Martínez")
    assert order.collected_at is not None
    dispatch = StockMovement.objects.get(kind=StockMovement.Kind.DISPATCH)
    assert (dispatch.quantity, dispatch.order, dispatch.created_by) == (-2, order, role_users["logistics_planner"])
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 8}
    assert Reservation.objects.get(order=order).status == Reservation.Status.CONSUMED
    assert _delivered_notifications(order) == 1


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


@pytest.mark.parametrize("name", ["", "   "])
def test_collecting_without_the_collectors_name_is_refused(client, role_users, name):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("pickup_collect", args=[order.pk]), {"collected_by": name}, follow=True)

    assert response.status_code == 200
    assert "Collected by: This field is required." in response.content.decode()
    _unchanged(order, item)
    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by=name)
    assert [error.code for error in refused.value.error_dict["collected_by"]] == ["name_missing"]
    _unchanged(order, item)


def test_a_name_longer_than_the_record_holds_is_refused(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)

    with pytest.raises(ValidationError) as refused:
        order_collect(actor=role_users["logistics_planner"], order=order, collected_by="R" * 121)
    assert [error.code for error in refused.value.error_dict["collected_by"]] == ["too_long"]

    _unchanged(order, item)


def test_an_order_cannot_be_collected_twice(client, role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    client.force_login(role_users["logistics_planner"])
    client.post(reverse("pickup_collect", args=[order.pk]), {"collected_by": "Rosa Martínez"})

    response = client.post(reverse("pickup_collect", args=[order.pk]), {"collected_by": "Otra persona"}, follow=True)

    assert "was already collected by Rosa Martínez" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.collected_by) == (S.DELIVERED, "Rosa Martínez")
    assert StockMovement.objects.filter(kind=StockMovement.Kind.DISPATCH).count() == 1
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 8}
    assert _delivered_notifications(order) == 1


# The page and who may use it


def test_the_planner_sees_the_order_with_a_collect_form(client, role_users):
    order, _item, _warehouse = approved_order(role_users)
    _pickup(order)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("pickups"), {"date": tomorrow().isoformat()}).content.decode()

    assert order.household.full_name in page
    assert reverse("pickup_collect", args=[order.pk]) in page


def test_the_manager_reads_the_counter_but_cannot_hand_over(client, role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    client.force_login(role_users["manager"])

    page = client.get(reverse("pickups"), {"date": tomorrow().isoformat()}).content.decode()
    response = client.post(reverse("pickup_collect", args=[order.pk]), {"collected_by": "Rosa Martínez"})

    assert order.household.full_name in page
    assert reverse("pickup_collect", args=[order.pk]) not in page
    assert response.status_code == 403
    _unchanged(order, item)


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "driver", "supplier_coordinator"])
def test_other_roles_can_neither_see_the_counter_nor_hand_over(client, role_users, role):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    _pickup(order)
    client.force_login(role_users[role])

    assert client.get(reverse("pickups")).status_code == 403
    assert client.post(reverse("pickup_collect", args=[order.pk]), {"collected_by": "Rosa"}).status_code == 403
    _unchanged(order, item)


def test_an_unknown_depot_is_named_and_every_depot_shown(client, role_users):
    order, _item, _warehouse = approved_order(role_users)
    _pickup(order)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("pickups"), {"date": tomorrow().isoformat(), "warehouse": "nowhere"}).content.decode()

    assert "There is no depot “nowhere”; every depot is shown." in page
    assert order.household.full_name in page


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
