"""The board offers the orders that became ready after the rounds went out, and its button puts one on a live
round; the board's advice says what can still be done once rounds are under way."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.models import Stop
from delivery.services import round_start
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun, UnplacedOrder
from routing.services import planning_run_execute
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _published_day(role_users, *, vans: int = 1) -> Stop:
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    for _n in range(vans - 1):
        VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    return Stop.objects.get(order=order)


def _board(client):
    return client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()


def _fit(client, order, date=None):
    return client.post(reverse("order_fit_live", args=[order.pk]), {"date": (date or tomorrow().isoformat())})


def test_the_board_offers_an_order_ready_since_the_plan(client, role_users):
    _published_day(role_users)
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])

    page = _board(client)

    assert 'id="off-the-rounds"' in page
    assert reverse("order_fit_live", args=[late.pk]) in page


def test_the_button_puts_the_order_on_a_round_and_says_where(client, role_users):
    first = _published_day(role_users)
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])

    response = _fit(client, late)

    assert response.status_code == 302
    assert f"#round-{first.round_id}" in response["Location"]
    assert Stop.objects.get(order=late).round_id == first.round_id
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    assert reverse("order_fit_live", args=[late.pk]) not in _board(client)


def test_under_way_the_board_drops_unpublish_and_says_what_can_still_be_done(client, role_users):
    first = _published_day(role_users)
    round_start(actor=role_users["driver"], round_=first.round)
    client.force_login(role_users["logistics_planner"])

    page = _board(client)

    assert reverse("run_unpublish", args=[first.round.run_id]) not in page
    assert "rounds are under way" in page


def test_a_left_out_row_of_an_order_on_a_round_since_leaves_the_board(client, role_users):
    first = _published_day(role_users, vans=2)
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])
    _fit(client, late)
    UnplacedOrder.objects.create(run=first.round.run, order=late, reason="window_unreachable")

    assert "No van can reach the address inside its delivery window" not in _board(client)


def test_a_left_out_row_whose_stock_came_says_so(client, role_users):
    first = _published_day(role_users)
    late = approved_order(role_users)[0]
    UnplacedOrder.objects.create(run=first.round.run, order=late, reason="stock_short")
    client.force_login(role_users["logistics_planner"])

    page = _board(client)

    assert "Its stock is reserved now" in page
    assert "Not enough stock to cover the packs" not in page


def test_a_refusal_is_shown_and_nothing_changes(client, role_users):
    first = _published_day(role_users)
    round_start(actor=role_users["driver"], round_=first.round)
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])

    response = _fit(client, late)

    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert not Stop.objects.filter(order=late).exists()


def test_a_bad_day_is_refused_and_nothing_changes(client, role_users):
    _published_day(role_users)
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])

    response = _fit(client, late, date="not-a-day")

    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert not Stop.objects.filter(order=late).exists()


@pytest.mark.parametrize("role", ["manager", "driver", "social_worker"])
def test_only_planners_may_fit_an_order(client, role_users, role):
    _published_day(role_users)
    late = approved_order(role_users)[0]
    client.force_login(role_users[role])

    assert _fit(client, late).status_code == 403
    late.refresh_from_db()
    assert late.status == DeliveryOrder.Status.RESERVED


def test_a_get_is_not_allowed(client, role_users):
    late = approved_order(role_users)[0]
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("order_fit_live", args=[late.pk])).status_code == 405
