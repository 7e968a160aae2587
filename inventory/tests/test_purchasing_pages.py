"""The purchasing pages: new orders, receipts, status buttons, donations, and who may use them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import PurchaseOrder, Receiving, StockLot
from inventory.purchasing import po_create
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory, WarehouseFactory
from inventory.tests.purchasing_world import IN_A_YEAR, receive, sent_order, snapshot
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

Status = PurchaseOrder.Status
TODAY = timezone.localdate


# Pages


def receipt_post(order, *rows, received_on=None, differences="") -> dict:
    """Form data for the receive form: rows are (line, quantity, lot code, expiry date or None)."""
    data = {"received_on": (received_on or TODAY()).isoformat(), "differences": differences}
    for line, quantity, code, expiry in rows:
        data[f"quantity_{line.pk}"] = str(quantity)
        data[f"lot_code_{line.pk}"] = code
        data[f"expiry_date_{line.pk}"] = expiry.isoformat() if expiry else ""
    return data


def test_a_short_delivery_order_becomes_reserved_when_the_goods_are_received(client, role_users, coordinator):
    waiting, item, warehouse = approved_order(role_users, on_hand=3, per_pack=4)
    assert waiting.status == DeliveryOrder.Status.SHORT
    order = sent_order(coordinator, [(item, 10)], warehouse=warehouse)
    client.force_login(coordinator)

    response = client.post(
        reverse("purchase_order_receive", args=[order.pk]),
        receipt_post(order, (order.lines.get(), 10, "NEW-1", TODAY() + IN_A_YEAR)),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("purchase_order_detail", args=[order.pk]), 302)]
    waiting.refresh_from_db()
    assert waiting.status == DeliveryOrder.Status.RESERVED
    assert [str(m) for m in response.context["messages"]] == [
        f"Received into 1 lot for {order.reference}. 1 waiting order is now covered."
    ]
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 13}


def test_a_receipt_sent_twice_with_its_form_token_is_received_once(client, coordinator):
    import re

    item = ItemFactory()
    order = sent_order(coordinator, [(item, 10)])
    client.force_login(coordinator)
    page = client.get(reverse("purchase_order_detail", args=[order.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {**receipt_post(order, (order.lines.get(), 4, "R-1", None)), "form_token": token}

    client.post(reverse("purchase_order_receive", args=[order.pk]), data)
    client.post(reverse("purchase_order_receive", args=[order.pk]), data)

    assert Receiving.objects.filter(purchase_order=order).count() == 1
    assert on_hand_by_item(warehouse=order.warehouse) == {item.pk: 4}


def test_the_receive_form_skips_lines_left_at_zero(client, coordinator):
    rice, oil = ItemFactory(), ItemFactory()
    order = sent_order(coordinator, [(rice, 10), (oil, 10)])
    rice_line, oil_line = order.lines.order_by("pk")
    client.force_login(coordinator)

    client.post(
        reverse("purchase_order_receive", args=[order.pk]),
        receipt_post(order, (rice_line, 7, "R", None), (oil_line, 0, "", None), differences="3 rice missing"),
    )

    order.refresh_from_db()
    assert order.status == Status.PARTLY_RECEIVED
    assert on_hand_by_item(warehouse=order.warehouse) == {rice.pk: 7}
    assert Receiving.objects.get().differences == "3 rice missing"
    page = client.get(reverse("purchase_order_detail", args=[order.pk])).content.decode()
    assert "3 rice missing" in page
    assert f'name="quantity_{rice_line.pk}"' in page  # 3 still outstanding, so the line is still receivable


def test_a_refused_receipt_shows_the_reason_on_the_form_and_changes_nothing(client, coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    before = snapshot(order)
    client.force_login(coordinator)

    response = client.post(
        reverse("purchase_order_receive", args=[order.pk]), receipt_post(order, (order.lines.get(), 11, "X", None))
    )

    assert response.status_code == 200
    assert "11 units arrived but only 10 are outstanding" in response.content.decode()
    assert 'value="X"' in response.content.decode()
    assert snapshot(order) == before


def test_a_purchase_order_is_created_from_the_page(client, coordinator):
    supplier, item, warehouse = SupplierFactory(), ItemFactory(), WarehouseFactory()
    client.force_login(coordinator)
    data = {
        "supplier": supplier.pk,
        "warehouse": warehouse.pk,
        "expected_on": "",
        "note": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": item.pk,
        "lines-0-quantity": "24",
        "lines-1-item": "",
        "lines-1-quantity": "",
        "lines-2-item": "",
        "lines-2-quantity": "",
    }

    response = client.post(reverse("purchase_order_new"), data)

    order = PurchaseOrder.objects.get()
    assert response.url == reverse("purchase_order_detail", args=[order.pk])
    assert (order.status, order.supplier, order.warehouse, order.created_by) == (
        Status.DRAFT,
        supplier,
        warehouse,
        coordinator,
    )
    assert order.expected_on == TODAY() + dt.timedelta(days=supplier.lead_time_days)
    assert list(order.lines.values_list("item", "quantity_ordered")) == [(item.pk, 24)]


def test_a_purchase_order_listing_an_item_twice_is_refused_on_the_page(client, coordinator):
    supplier, item, warehouse = SupplierFactory(), ItemFactory(), WarehouseFactory()
    client.force_login(coordinator)
    data = {
        "supplier": supplier.pk,
        "warehouse": warehouse.pk,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": item.pk,
        "lines-0-quantity": "4",
        "lines-1-item": item.pk,
        "lines-1-quantity": "6",
    }

    response = client.post(reverse("purchase_order_new"), data)

    assert response.status_code == 200
    assert "is listed twice" in response.content.decode()
    assert PurchaseOrder.objects.count() == 0


def test_a_prefilled_row_emptied_again_is_skipped_and_an_order_without_lines_is_refused(client, coordinator):
    supplier, item, warehouse = SupplierFactory(), ItemFactory(), WarehouseFactory()
    client.force_login(coordinator)
    data = {
        "supplier": supplier.pk,
        "warehouse": warehouse.pk,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "1",
        "lines-0-item": "",
        "lines-0-quantity": "",
        "lines-1-item": "",
        "lines-1-quantity": "",
    }

    refused = client.post(reverse("purchase_order_new"), data)
    created = client.post(reverse("purchase_order_new"), {**data, "lines-1-item": item.pk, "lines-1-quantity": "8"})

    assert refused.status_code == 200
    assert "A purchase order needs at least one line." in refused.content.decode()
    order = PurchaseOrder.objects.get()
    assert created.url == reverse("purchase_order_detail", args=[order.pk])
    assert list(order.lines.values_list("item", "quantity_ordered")) == [(item.pk, 8)]


def test_the_new_order_page_is_filled_in_from_the_forecast_link(client, coordinator):
    supplier, item = SupplierFactory(), ItemFactory()
    client.force_login(coordinator)

    response = client.get(reverse("purchase_order_new"), {"item": item.pk, "quantity": 120, "supplier": supplier.pk})

    assert response.status_code == 200
    assert response.context["form"].initial["supplier"] == supplier
    assert response.context["formset"].forms[0].initial == {"item": item, "quantity": 120}
    page = response.content.decode()
    assert f'<option value="{supplier.pk}" selected>' in page
    assert 'name="lines-0-quantity" value="120"' in page


def test_the_new_order_page_falls_back_to_the_preferred_supplier_and_ignores_nonsense(client, coordinator):
    supplier = SupplierFactory()
    item = ItemFactory(preferred_supplier=supplier)
    client.force_login(coordinator)

    response = client.get(reverse("purchase_order_new"), {"item": item.pk, "quantity": "lots", "supplier": "x"})

    assert response.context["form"].initial["supplier"] == supplier
    assert response.context["formset"].forms[0].initial == {"item": item, "quantity": None}


def test_the_status_buttons_send_and_close_an_order(client, coordinator):
    order = po_create(
        actor=coordinator, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(ItemFactory(), 10)]
    )
    client.force_login(coordinator)

    client.post(reverse("purchase_order_send", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Status.SENT

    receive(coordinator, order, (order.lines.get(), 5, "A"))
    client.post(reverse("purchase_order_close", args=[order.pk]), {"note": "Discontinued"})
    order.refresh_from_db()
    assert order.status == Status.CLOSED
    assert order.note.endswith("Discontinued")


def test_a_refused_status_change_is_reported_on_the_page(client, coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    client.force_login(coordinator)

    response = client.post(reverse("purchase_order_close", args=[order.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"{order.reference} is “Sent”: only an order that has received goods can be closed; nothing was changed."
    ]
    order.refresh_from_db()
    assert order.status == Status.SENT


def test_a_donation_is_recorded_from_the_page(client, coordinator):
    donor, item, warehouse = DonorFactory(name="Parroquia San Diego"), ItemFactory(), WarehouseFactory()
    client.force_login(coordinator)
    data = {
        "donor": donor.pk,
        "warehouse": warehouse.pk,
        "received_on": TODAY().isoformat(),
        "note": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": item.pk,
        "lines-0-quantity": "30",
        "lines-0-lot_code": "DON-1",
        "lines-0-expiry_date": (TODAY() + IN_A_YEAR).isoformat(),
    }

    response = client.post(reverse("donation_new"), data, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Donation from Parroquia San Diego received: 30 units."]
    lot = StockLot.objects.get()
    assert (lot.lot_code, lot.source, lot.supplier) == ("DON-1", StockLot.Source.DONATION, donor)
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 30}


@pytest.mark.parametrize(("role", "expected"), [("supplier_coordinator", 200), ("driver", 403), ("social_worker", 403)])
@pytest.mark.parametrize("url_name", ["purchase_orders", "purchase_order_new", "donation_new", "suppliers"])
def test_purchasing_pages_are_for_supplier_coordinators(client, role_users, role, expected, url_name):
    SupplierFactory(name="Hortalizas del Campo")
    DonorFactory(name="Cáritas Barrio Peral")
    client.force_login(role_users[role])

    assert client.get(reverse(url_name)).status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("supplier_coordinator", 200), ("driver", 403), ("social_worker", 403)])
def test_the_purchase_order_page_is_for_supplier_coordinators(client, role_users, coordinator, role, expected):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    receive(coordinator, order, (order.lines.get(), 4, "A"), differences="6 short")
    client.force_login(role_users[role])

    assert client.get(reverse("purchase_order_detail", args=[order.pk])).status_code == expected


def test_a_planner_sees_purchase_orders_but_cannot_receive_goods(client, role_users, coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("purchase_order_detail", args=[order.pk]))
    refused = client.post(
        reverse("purchase_order_receive", args=[order.pk]), receipt_post(order, (order.lines.get(), 10, "P", None))
    )

    assert page.status_code == 200
    assert "Receive into stock" not in page.content.decode()
    assert refused.status_code == 403
    assert StockLot.objects.count() == 0


def test_the_purchase_order_list_filters_by_status(client, coordinator):
    draft = po_create(
        actor=coordinator, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(ItemFactory(), 3)]
    )
    sent = sent_order(coordinator, [(ItemFactory(), 3)])
    client.force_login(coordinator)

    response = client.get(reverse("purchase_orders"), {"status": "sent"})

    assert list(response.context["orders"]) == [sent]
    assert draft.reference not in response.content.decode()
