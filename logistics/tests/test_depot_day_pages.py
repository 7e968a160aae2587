"""The orders page's "serve the day from another depot" form: a count to confirm, then the move or the reason."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder
from logistics.tests.depot_day_world import day_order, depot_day, depots_of, held

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


@pytest.fixture
def world(role_users):
    return depot_day(role_users)


@pytest.fixture
def planner(client, role_users):
    client.force_login(role_users["logistics_planner"])
    return role_users["logistics_planner"]


def _fields(world, *, confirmed: bool = False, **changes) -> dict:
    fields = {"date": tomorrow().isoformat(), "from_depot": world.norte.pk, "to_depot": world.sur.pk, "zone": ""}
    return {**fields, **({"confirmed": "1"} if confirmed else {}), **changes}


def _levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def _orders_page(response) -> bool:
    return response.status_code == 302 and response["Location"] == f"{reverse('orders')}?date={tomorrow()}"


def test_a_planner_finds_the_form_on_the_orders_page_of_the_day(client, world, planner):
    page = client.get(reverse("orders"), {"date": tomorrow().isoformat()}).content.decode()

    assert f'action="{reverse("depot_day")}"' in page
    assert f'name="date" value="{tomorrow().isoformat()}"' in page


def test_a_manager_sees_the_orders_page_without_the_form(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("orders"), {"date": tomorrow().isoformat()})

    assert response.status_code == 200
    assert reverse("depot_day") not in response.content.decode()


def test_the_first_post_asks_to_confirm_with_the_number_of_orders_and_moves_nothing(client, role_users, world, planner):
    orders = [day_order(role_users, world, zone=world.zone_a) for _ in range(2)]
    day_order(role_users, world, zone=world.zone_b)

    response = client.post(reverse("depot_day"), _fields(world, zone=world.zone_a.pk))

    assert response.status_code == 200
    assert response.context["count"] == 2
    assert 'name="confirmed" value="1"' in response.content.decode()
    assert f'name="zone" value="{world.zone_a.pk}"' in response.content.decode()
    assert depots_of(orders) == {order.pk: ("norte", S.RESERVED) for order in orders}


def test_confirming_moves_the_orders_and_says_how_many(client, role_users, world, planner):
    orders = [day_order(role_users, world) for _ in range(2)]

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True))

    assert _orders_page(response)
    assert _levels(response) == ["success"]
    assert depots_of(orders) == {order.pk: ("sur", S.RESERVED) for order in orders}
    assert held(world.sur) == {order.pk: 2 for order in orders}


def test_orders_left_waiting_for_stock_at_the_new_depot_are_reported(client, role_users, planner):
    world = depot_day(role_users, norte_rice=0, sur_rice=0)
    short = day_order(role_users, world)

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True))

    assert _levels(response) == ["success", "warning"]
    assert depots_of([short]) == {short.pk: ("sur", S.SHORT)}


def test_a_day_the_new_depot_cannot_cover_is_refused_with_the_reason_and_nothing_moves(client, role_users, planner):
    world = depot_day(role_users, norte_rice=20, sur_rice=3)
    orders = [day_order(role_users, world) for _ in range(2)]

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True))

    assert _orders_page(response)
    assert _levels(response) == ["error"]
    assert depots_of(orders) == {order.pk: ("norte", S.RESERVED) for order in orders}
    assert held(world.norte) == {order.pk: 2 for order in orders}


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_same_depot_is_refused_with_a_message(client, role_users, world, planner, confirmed):
    order = day_order(role_users, world)

    response = client.post(reverse("depot_day"), _fields(world, confirmed=confirmed, to_depot=world.norte.pk))

    assert _orders_page(response)
    assert _levels(response) == ["error"]
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


@pytest.mark.parametrize("field", ["from_depot", "to_depot", "zone"])
def test_an_unknown_depot_or_zone_is_refused_with_a_message(client, role_users, world, planner, field):
    order = day_order(role_users, world)

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True, **{field: 99999}))

    assert _orders_page(response)
    assert _levels(response) == ["error"]
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_a_day_with_nothing_to_move_says_so_instead_of_asking(client, world, planner):
    response = client.post(reverse("depot_day"), _fields(world))

    assert _orders_page(response)
    assert _levels(response) == ["error"]


def test_a_bad_date_goes_back_to_the_orders_page_with_a_message(client, world, planner):
    response = client.post(reverse("depot_day"), _fields(world, date="31/02/2026"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("orders"))
    assert _levels(response) == ["error"]


@pytest.mark.parametrize("role", ["manager", "social_worker", "driver", "supplier_coordinator", "intake_operator"])
def test_only_planners_may_move_a_day(client, role_users, world, role):
    order = day_order(role_users, world)
    client.force_login(role_users[role])

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True))

    assert response.status_code == 403
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_a_visitor_not_signed_in_goes_to_the_login_page(client, role_users, world):
    order = day_order(role_users, world)

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_a_planner_listed_on_a_zone_may_not_move_another_zones_orders(client, role_users, world, planner):
    planner.zones.add(world.zone_a)
    order = day_order(role_users, world, zone=world.zone_b)

    response = client.post(reverse("depot_day"), _fields(world, confirmed=True, zone=world.zone_b.pk))

    assert response.status_code == 403
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_a_get_is_not_a_move(client, world, planner):
    assert client.get(reverse("depot_day")).status_code == 405
