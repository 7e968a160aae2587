"""The board names what a short order lacks and offers to send what is in stock; the button splits the order."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from logistics.models import DeliveryOrder
from logistics.tests.day_short_world import short_order

pytestmark = pytest.mark.django_db


def _board(client, order):
    return client.get(reverse("planning"), {"date": order.due_date.isoformat()}).content.decode()


def test_the_board_names_the_short_item_and_offers_to_send_the_rest(client, role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, formula=1)
    client.force_login(role_users["logistics_planner"])

    page = _board(client, order)

    assert "Leche de fórmula (needs 4, 1 free)" in page
    assert reverse("order_split", args=[order.pk]) in page


def test_the_button_splits_the_order_and_goes_back_where_the_planner_was(client, role_users):
    order, _rice, _formula, _warehouse = short_order(role_users)
    client.force_login(role_users["logistics_planner"])
    back = f"{reverse('planning')}?date={order.due_date.isoformat()}#readiness"

    response = client.post(reverse("order_split", args=[order.pk]), {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED
    assert DeliveryOrder.objects.filter(household=order.household).count() == 2


def test_a_refusal_is_shown_and_nothing_changes(client, role_users):
    order, _rice, _formula, _warehouse = short_order(role_users, rice=0)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_split", args=[order.pk]), {"next": "https://elsewhere.example/"})

    assert response["Location"].startswith(reverse("orders"))
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert DeliveryOrder.objects.count() == 1


@pytest.mark.parametrize("role", ["manager", "social_worker", "driver"])
def test_only_planners_may_split(client, role_users, role):
    order, _rice, _formula, _warehouse = short_order(role_users)
    client.force_login(role_users[role])

    assert client.post(reverse("order_split", args=[order.pk])).status_code == 403
    assert DeliveryOrder.objects.count() == 1


def test_a_get_is_not_allowed(client, role_users):
    order, _rice, _formula, _warehouse = short_order(role_users)
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("order_split", args=[order.pk])).status_code == 405
