"""Aid collected at the depot, the pages: the counter, handing an order over, and who may do what."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.pickup import order_collect
from delivery.tests.pickup_world import _delivered_notifications, _pickup, _unchanged
from inventory.models import Reservation, StockMovement
from inventory.selectors import on_hand_by_item
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


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
