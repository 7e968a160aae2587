"""The change page's packs form and its "end the plan" button: a planner gives an order other packs (stock held
again) or ends its whole plan; a refusal is said and changes nothing; a social worker keeps to their zones."""

import pytest
from django.urls import reverse

from inventory.models import Reservation
from inventory.tests.factories import pack_with
from logistics.models import DeliveryOrder
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def _held(order) -> int:
    return sum(Reservation.objects.filter(order=order, status="active").values_list("quantity", flat=True))


def test_the_page_shows_the_orders_packs_in_the_form(client, role_users):
    order, _item, _warehouse = approved_order(role_users)
    client.force_login(role_users["logistics_planner"])

    form = client.get(reverse("order_change", args=[order.pk])).context["packs"]

    assert (form.initial["pack_0"], form.initial["quantity_0"]) == (order.lines.get().pack_id, 1)


def test_a_planner_gives_an_order_other_packs(client, role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    bigger = pack_with({item: 3})
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_packs", args=[order.pk]), {"pack_0": bigger.pk, "quantity_0": 2}, follow=True)

    assert "has its new packs" in response.content.decode()
    assert list(order.lines.values_list("pack", "quantity")) == [(bigger.pk, 2)]
    assert _held(order) == 6


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ({"pack_0": "OLD", "quantity_0": ""}, "Give each pack its quantity"),
        ({"pack_0": "OLD", "quantity_0": 1, "pack_1": "OLD", "quantity_1": 1}, "Each pack once"),
        ({}, "An order needs at least one pack"),
        ({"pack_0": "OLD", "quantity_0": 50}, "There is not enough stock"),
        ({"pack_0": 999_999, "quantity_0": 1}, "Check the packs"),
    ],
)
def test_a_pack_change_the_page_cannot_make_is_said_and_changes_nothing(client, role_users, rows, says):
    order, _item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    old = order.lines.get().pack_id
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("order_packs", args=[order.pk]),
        {key: old if value == "OLD" else value for key, value in rows.items()},
        follow=True,
    )

    assert says in response.content.decode()
    assert list(order.lines.values_list("pack", "quantity")) == [(old, 1)]
    assert _held(order) == 2


def test_a_planner_ends_the_plan_and_its_open_orders_are_cancelled(client, role_users):
    order, _item, _warehouse = approved_order(role_users)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_plan_end", args=[order.pk]), follow=True)

    assert "1 open order is cancelled" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (S.CANCELLED, "plan_ended")
    assert _held(order) == 0


@pytest.mark.parametrize("name", ["order_packs", "order_plan_end"])
def test_a_social_worker_of_another_zone_may_neither_change_packs_nor_end_the_plan(client, role_users, name):
    mine, other = ZoneFactory(), ZoneFactory()
    role_users["social_worker"].zones.add(mine)
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=other))
    client.force_login(role_users["social_worker"])

    response = client.post(reverse(name, args=[order.pk]), {"pack_0": order.lines.get().pack_id, "quantity_0": 3})

    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.lines.get().quantity) == (S.RESERVED, 1)
