"""Receiving a purchase order: "Receive everything outstanding" takes each line's outstanding units, without typing
them; a line with a number typed keeps that number."""

import pytest
from django.urls import reverse

from inventory.models import PurchaseOrder, Receiving
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import ItemFactory
from inventory.tests.purchasing_world import TODAY, receive, sent_order, snapshot

pytestmark = pytest.mark.django_db


def _post(order, rows, *, everything=True) -> dict:
    data = {"received_on": TODAY().isoformat(), "differences": ""}
    for line, quantity, code in rows:
        data[f"quantity_{line.pk}"] = quantity
        data[f"lot_code_{line.pk}"] = code
        data[f"expiry_date_{line.pk}"] = ""
    if everything:
        data["all_outstanding"] = "1"
    return data


def test_the_page_offers_to_receive_everything_outstanding(client, coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    client.force_login(coordinator)

    page = client.get(reverse("purchase_order_detail", args=[order.pk])).content.decode()

    assert 'name="all_outstanding"' in page


def test_everything_outstanding_is_received_without_typing_the_units(client, coordinator):
    rice, oil = ItemFactory(), ItemFactory()
    order = sent_order(coordinator, [(rice, 10), (oil, 6)])
    rice_line, oil_line = order.lines.order_by("pk")
    receive(coordinator, order, (rice_line, 4, "R-0"))
    client.force_login(coordinator)

    response = client.post(
        reverse("purchase_order_receive", args=[order.pk]),
        _post(order, [(rice_line, "0", "R-1"), (oil_line, "", "O-1")]),
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert on_hand_by_item(warehouse=order.warehouse) == {rice.pk: 10, oil.pk: 6}


def test_a_number_typed_wins_over_everything_outstanding(client, coordinator):
    rice = ItemFactory()
    order = sent_order(coordinator, [(rice, 10)])
    client.force_login(coordinator)

    client.post(reverse("purchase_order_receive", args=[order.pk]), _post(order, [(order.lines.get(), "7", "R-1")]))

    assert on_hand_by_item(warehouse=order.warehouse) == {rice.pk: 7}


def test_everything_outstanding_without_lot_codes_is_refused_and_changes_nothing(client, coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    before = snapshot(order)
    client.force_login(coordinator)

    response = client.post(
        reverse("purchase_order_receive", args=[order.pk]), _post(order, [(order.lines.get(), "", "")])
    )

    assert response.status_code == 200
    assert snapshot(order) == before
    assert not Receiving.objects.exists()
