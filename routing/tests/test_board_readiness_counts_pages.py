"""The board's readiness card counts the day's orders as the orders page does: every status, and their total."""

import re

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _readiness(client, user, **query) -> str:
    client.force_login(user)
    page = client.get(reverse("planning"), {"date": tomorrow().isoformat(), **query}).content.decode()
    return page[page.index('id="readiness"') : page.index("</section>", page.index('id="readiness"'))]


def _count(card: str, label: str) -> int:
    return int(re.search(rf"{label}: <strong>(\d+)</strong>", card).group(1))


def test_the_readiness_card_counts_every_status_and_the_total(client, role_users):
    approved_order(role_users, on_hand=10, per_pack=2)  # reserved
    approved_order(role_users, on_hand=1, per_pack=2)  # short of stock

    card = _readiness(client, role_users["logistics_planner"])

    assert _count(card, "Stock reserved") == 1
    assert _count(card, "Not enough stock") == 1
    assert _count(card, "Delivered") == 0
    assert _count(card, "Total") == 2


def test_the_counts_keep_to_the_depots_asked_for(client, role_users):
    _order, _item, depot = approved_order(role_users, on_hand=10, per_pack=2)
    elsewhere, *_ = approved_order(role_users, on_hand=10, per_pack=2)
    elsewhere.warehouse = WarehouseFactory(code="norte", name="Almacén norte")
    elsewhere.save(update_fields=["warehouse"])

    card = _readiness(client, role_users["logistics_planner"], depot=depot.pk)

    assert _count(card, "Total") == 1
    assert DeliveryOrder.objects.count() == 2


def test_a_depot_with_no_orders_that_day_counts_zero(client, role_users):
    approved_order(role_users, on_hand=10, per_pack=2)

    card = _readiness(
        client, role_users["logistics_planner"], depot=WarehouseFactory(code="norte", name="Almacén norte").pk
    )

    assert _count(card, "Total") == 0
