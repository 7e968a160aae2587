"""Purchase orders from draft to closed, goods received into lots, and donations in kind."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inventory.ledger import balance_differences, lot_receive
from inventory.models import PurchaseOrder, Receiving, StockLot, StockMovement
from inventory.purchasing import donation_receive, po_cancel, po_close, po_create, po_receive, po_send
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory, WarehouseFactory
from inventory.tests.purchasing_world import IN_A_YEAR, receive, sent_order, snapshot

pytestmark = pytest.mark.django_db

Status = PurchaseOrder.Status
TODAY = timezone.localdate


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
