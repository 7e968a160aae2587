"""Purchase orders from draft to closed, goods received into lots, donations in kind, and their pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inventory.ledger import balance_differences, lot_receive
from inventory.models import PurchaseOrder, Receiving, StockLot, StockMovement
from inventory.purchasing import donation_receive, po_cancel, po_close, po_create, po_receive, po_send
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory, WarehouseFactory
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

Status = PurchaseOrder.Status
TODAY = timezone.localdate
IN_A_YEAR = dt.timedelta(days=365)


@pytest.fixture
def coordinator(role_users):
    return role_users["supplier_coordinator"]


def sent_order(actor, lines, *, warehouse=None, supplier=None) -> PurchaseOrder:
    order = po_create(
        actor=actor, supplier=supplier or SupplierFactory(), warehouse=warehouse or WarehouseFactory(), lines=lines
    )
    return po_send(actor=actor, purchase_order=order)


def receive(actor, order, *rows, differences=""):
    """Rows are (line, quantity, lot code), expiring in a year."""
    return po_receive(
        actor=actor,
        purchase_order=order,
        received_on=TODAY(),
        lines=[(line, quantity, code, TODAY() + IN_A_YEAR) for line, quantity, code in rows],
        differences=differences,
    )


def snapshot(order: PurchaseOrder) -> tuple:
    """Everything a refused receipt must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        list(order.lines.order_by("pk").values_list("quantity_received", flat=True)),
        StockLot.objects.count(),
        StockMovement.objects.count(),
        Receiving.objects.count(),
    )


# The lifecycle


def test_a_purchase_order_goes_from_draft_to_closed_and_the_ledger_agrees(coordinator):
    rice, oil = ItemFactory(), ItemFactory()
    warehouse = WarehouseFactory()
    order = po_create(
        actor=coordinator, supplier=SupplierFactory(), warehouse=warehouse, lines=[(rice, 100), (oil, 50)]
    )
    assert order.status == Status.DRAFT
    assert order.sent_at is None

    order = po_send(actor=coordinator, purchase_order=order)
    assert order.status == Status.SENT
    assert order.sent_at is not None

    rice_line, oil_line = order.lines.order_by("pk")
    receive(coordinator, order, (rice_line, 60, "R-1"), (oil_line, 0, ""))
    order.refresh_from_db()
    assert order.status == Status.PARTLY_RECEIVED
    assert on_hand_by_item(warehouse=warehouse) == {rice.pk: 60}

    receive(coordinator, order, (rice_line, 40, "R-2"), (oil_line, 50, "O-1"))
    order.refresh_from_db()
    assert order.status == Status.RECEIVED
    assert list(order.lines.order_by("pk").values_list("quantity_received", flat=True)) == [100, 50]
    assert on_hand_by_item(warehouse=warehouse) == {rice.pk: 100, oil.pk: 50}

    order = po_close(actor=coordinator, purchase_order=order)
    assert order.status == Status.CLOSED
    assert order.closed_at is not None
    assert order.note == ""
    assert balance_differences() == []


def test_received_lots_record_where_they_came_from(coordinator):
    item = ItemFactory()
    supplier = SupplierFactory()
    order = sent_order(coordinator, [(item, 10)], supplier=supplier)
    line = order.lines.get()

    receiving = receive(coordinator, order, (line, 10, " L-77 "))

    lot = StockLot.objects.get()
    assert (lot.lot_code, lot.source, lot.supplier, lot.purchase_line, lot.receiving) == (
        "L-77",
        StockLot.Source.PURCHASE,
        supplier,
        line,
        receiving,
    )
    assert lot.expiry_date == TODAY() + IN_A_YEAR
    assert (receiving.purchase_order, receiving.supplier, receiving.warehouse) == (order, supplier, order.warehouse)
    assert list(lot.movements.values_list("kind", "quantity")) == [(StockMovement.Kind.RECEIPT, 10)]


def test_a_partial_receipt_keeps_the_rest_outstanding_and_notes_the_differences(coordinator):
    item = ItemFactory(name="Arroz")
    order = sent_order(coordinator, [(item, 100)])
    line = order.lines.get()

    receiving = receive(coordinator, order, (line, 30, "A-1"), differences="  Two boxes crushed, 70 to follow.  ")

    line.refresh_from_db()
    assert (line.quantity_received, line.outstanding) == (30, 70)
    assert receiving.differences == "Two boxes crushed, 70 to follow."
    order = po_close(actor=coordinator, purchase_order=order, note="Supplier out of stock")
    assert order.status == Status.CLOSED
    today = TODAY().strftime("%d/%m/%Y")
    assert order.note == f"Closed on {today}; will not come: 70 × Arroz.\nSupplier out of stock"


def test_one_delivery_may_bring_a_line_in_two_lots(coordinator):
    item = ItemFactory()
    order = sent_order(coordinator, [(item, 10)])
    line = order.lines.get()

    receive(coordinator, order, (line, 4, "A"), (line, 6, "B"))

    order.refresh_from_db()
    assert order.status == Status.RECEIVED
    assert sorted(StockLot.objects.values_list("lot_code", "balance__quantity")) == [("A", 4), ("B", 6)]


# Receipts refused, with nothing changed


def test_receiving_more_than_outstanding_is_refused_and_nothing_changes(coordinator):
    item = ItemFactory()
    order = sent_order(coordinator, [(item, 100)])
    line = order.lines.get()
    receive(coordinator, order, (line, 60, "A-1"))
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (line, 50, "A-2"))
    assert refused.value.code == "quantity_over_outstanding"

    assert snapshot(order) == before
    assert not StockLot.objects.filter(lot_code="A-2").exists()
    assert on_hand_by_item(warehouse=order.warehouse) == {item.pk: 60}


def test_two_lots_of_one_line_together_may_not_exceed_what_is_outstanding(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (line, 6, "A"), (line, 6, "B"))
    assert refused.value.code == "quantity_over_outstanding"

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CANCELLED, Status.CLOSED, Status.RECEIVED])
def test_receiving_on_an_order_that_is_not_sent_is_refused(coordinator, status):
    order = po_create(
        actor=coordinator, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(ItemFactory(), 5)]
    )
    PurchaseOrder.objects.filter(pk=order.pk).update(status=status)
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (order.lines.get(), 5, "X"))
    assert refused.value.code == "order_status_not_allowed"

    assert snapshot(order) == before


def test_an_expired_lot_is_refused(coordinator):
    item = ItemFactory(name="Leche")
    order = sent_order(coordinator, [(item, 10)])
    before = snapshot(order)
    yesterday = TODAY() - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        po_receive(
            actor=coordinator,
            purchase_order=order,
            received_on=TODAY(),
            lines=[(order.lines.get(), 10, "OLD", yesterday)],
        )
    assert refused.value.code == "lot_expired"

    assert snapshot(order) == before


def test_a_perishable_item_needs_an_expiry_date(coordinator):
    item = ItemFactory(name="Yogur", shelf_life_days=20)
    order = sent_order(coordinator, [(item, 10)])
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        po_receive(
            actor=coordinator, purchase_order=order, received_on=TODAY(), lines=[(order.lines.get(), 10, "Y-1", None)]
        )
    assert refused.value.code == "expiry_date_missing"

    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("quantity", "lot_code", "code"),
    [
        (-3, "A", "quantity_invalid"),
        (2.5, "A", "quantity_invalid"),
        (5, "   ", "lot_code_missing"),
    ],
)
def test_bad_receipt_lines_are_refused(coordinator, quantity, lot_code, code):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (order.lines.get(), quantity, lot_code))
    assert refused.value.code == code

    assert snapshot(order) == before


def test_a_receipt_of_nothing_at_all_is_refused(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10), (ItemFactory(), 5)])
    first, second = order.lines.order_by("pk")
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (first, 0, ""), (second, 0, ""))
    assert refused.value.code == "nothing_received"

    assert snapshot(order) == before


def test_goods_cannot_be_received_on_a_day_still_to_come(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        po_receive(
            actor=coordinator,
            purchase_order=order,
            received_on=TODAY() + dt.timedelta(days=1),
            lines=[(order.lines.get(), 10, "F-1", None)],
        )
    assert refused.value.code == "received_on_in_future"

    assert snapshot(order) == before


def test_a_line_of_another_order_is_refused(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    other = sent_order(coordinator, [(ItemFactory(), 10)])
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (other.lines.get(), 10, "Z"))
    assert refused.value.code == "line_not_on_order"

    assert snapshot(order) == before


def test_a_refusal_on_the_second_line_leaves_the_first_unreceived(coordinator):
    rice, oil = ItemFactory(), ItemFactory()
    warehouse = WarehouseFactory()
    lot_receive(actor=coordinator, item=oil, warehouse=warehouse, lot_code="TAKEN", quantity=1, expiry_date=None)
    order = sent_order(coordinator, [(rice, 10), (oil, 10)], warehouse=warehouse)
    rice_line, oil_line = order.lines.order_by("pk")
    before = snapshot(order)

    with pytest.raises(ValidationError) as refused:
        receive(coordinator, order, (rice_line, 10, "NEW"), (oil_line, 10, "TAKEN"))
    assert refused.value.code == "lot_code_taken"

    assert snapshot(order) == before
    assert on_hand_by_item(warehouse=warehouse) == {oil.pk: 1}


# Send, cancel, close


def test_only_a_draft_can_be_sent(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    sent_at = order.sent_at

    with pytest.raises(ValidationError) as refused:
        po_send(actor=coordinator, purchase_order=order)
    assert refused.value.code == "order_status_not_allowed"

    order.refresh_from_db()
    assert (order.status, order.sent_at) == (Status.SENT, sent_at)


def test_a_sent_order_with_nothing_received_can_be_cancelled(coordinator):
    order = po_cancel(actor=coordinator, purchase_order=sent_order(coordinator, [(ItemFactory(), 10)]))

    assert order.status == Status.CANCELLED


def test_an_order_that_received_goods_cannot_be_cancelled(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])
    receive(coordinator, order, (order.lines.get(), 4, "A"))

    with pytest.raises(ValidationError) as refused:
        po_cancel(actor=coordinator, purchase_order=order)
    assert refused.value.code == "order_status_not_allowed"

    order.refresh_from_db()
    assert order.status == Status.PARTLY_RECEIVED


def test_an_order_with_nothing_received_cannot_be_closed(coordinator):
    order = sent_order(coordinator, [(ItemFactory(), 10)])

    with pytest.raises(ValidationError) as refused:
        po_close(actor=coordinator, purchase_order=order, note="never mind")
    assert refused.value.code == "order_status_not_allowed"

    order.refresh_from_db()
    assert (order.status, order.note, order.closed_at) == (Status.SENT, "", None)


# Donations


def test_a_donation_puts_lots_from_the_donor_on_the_shelf(coordinator):
    donor = DonorFactory()
    warehouse = WarehouseFactory()
    pasta, soap = ItemFactory(), ItemFactory()

    receiving = donation_receive(
        actor=coordinator,
        donor=donor,
        warehouse=warehouse,
        received_on=TODAY(),
        lines=[(pasta, 40, "P-1", TODAY() + IN_A_YEAR), (soap, 12, "S-1", None)],
        note="Collected at the school fair",
    )

    assert (receiving.purchase_order, receiving.supplier, receiving.differences) == (
        None,
        donor,
        "Collected at the school fair",
    )
    lots = StockLot.objects.order_by("lot_code")
    assert [(lot.lot_code, lot.source, lot.supplier, lot.receiving, lot.purchase_line) for lot in lots] == [
        ("P-1", StockLot.Source.DONATION, donor, receiving, None),
        ("S-1", StockLot.Source.DONATION, donor, receiving, None),
    ]
    assert on_hand_by_item(warehouse=warehouse) == {pasta.pk: 40, soap.pk: 12}
    assert balance_differences() == []


@pytest.mark.parametrize(
    ("donor_kind", "quantity", "lot_code", "code"),
    [
        ("supplier", 5, "A", "donor_is_supplier"),
        ("donor", 0, "A", "quantity_not_positive"),
        ("donor", -2, "A", "quantity_invalid"),
        ("donor", 5, "", "lot_code_missing"),
    ],
)
def test_bad_donations_are_refused_with_nothing_received(coordinator, donor_kind, quantity, lot_code, code):
    donor = SupplierFactory(kind=donor_kind)
    good = (ItemFactory(), 5, "GOOD", None)

    with pytest.raises(ValidationError) as refused:
        donation_receive(
            actor=coordinator,
            donor=donor,
            warehouse=WarehouseFactory(),
            received_on=TODAY(),
            lines=[good, (ItemFactory(), quantity, lot_code, None)],
        )
    assert refused.value.code == code

    assert (StockLot.objects.count(), StockMovement.objects.count(), Receiving.objects.count()) == (0, 0, 0)


def test_an_empty_donation_is_refused(coordinator):
    with pytest.raises(ValidationError) as refused:
        donation_receive(
            actor=coordinator, donor=DonorFactory(), warehouse=WarehouseFactory(), received_on=TODAY(), lines=[]
        )
    assert refused.value.code == "lines_empty"

    assert Receiving.objects.count() == 0


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
