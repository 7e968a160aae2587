"""Money: prices with history, purchase orders with VAT and totals sent as a PDF, lot costs, pack values and the
value of the stock on the shelf (FIFO by lot)."""

import io
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import timezone
from pypdf import PdfReader

from inventory.assembly import packs_assemble
from inventory.ledger import lot_receive, stock_adjust
from inventory.models import PurchaseOrder, PurchaseOrderDocument, PurchaseOrderLine, StockLot
from inventory.money import line_amounts, pack_values, purchase_order_money, stock_value
from inventory.purchasing import donation_receive, po_create, po_receive, po_send
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from inventory.tests.money_world import IN_A_YEAR, priced_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Amounts


def test_a_line_rounds_net_and_vat_to_the_cent_half_up():
    amounts = line_amounts(quantity=7, unit_price=Decimal("2.35"), vat_rate=21)

    assert (amounts.net, amounts.vat, amounts.gross) == (Decimal("16.45"), Decimal("3.45"), Decimal("19.90"))


def test_an_order_totals_are_the_sums_of_its_rounded_lines(coordinator):
    order = priced_order(coordinator)

    money = purchase_order_money(order)

    assert [(m.ordered.net, m.ordered.vat, m.ordered.gross) for m in money.lines] == [
        (Decimal("97.50"), Decimal("3.90"), Decimal("101.40")),
        (Decimal("16.45"), Decimal("3.45"), Decimal("19.90")),
    ]
    assert (money.ordered.net, money.ordered.vat, money.ordered.gross) == (
        Decimal("113.95"),
        Decimal("7.35"),
        Decimal("121.30"),
    )
    assert [(rate, amounts.vat) for rate, amounts in money.vat_by_rate] == [(4, Decimal("3.90")), (21, Decimal("3.45"))]


def test_a_line_without_a_price_takes_the_item_unit_cost_and_vat_rate(coordinator):
    oil = ItemFactory(unit_cost=Decimal("3.1000"), vat_rate=10)

    order = po_create(actor=coordinator, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(oil, 5)])

    line = order.lines.get()
    assert (line.unit_price, line.vat_rate) == (Decimal("3.1000"), 10)


@pytest.mark.parametrize(
    ("price", "rate", "code"),
    [
        (Decimal("-0.01"), 10, "price_negative"),
        (Decimal("1.23456"), 10, "price_out_of_range"),
        ("NaN", 10, "price_invalid"),
        (1.5, 10, "price_invalid"),
        (Decimal("1.00"), 7, "vat_rate_invalid"),
        (Decimal("1.00"), 16, "vat_rate_invalid"),
    ],
)
def test_a_bad_price_or_vat_rate_is_refused_and_no_order_is_made(coordinator, price, rate, code):
    item = ItemFactory()

    with pytest.raises(ValidationError) as refused:
        po_create(
            actor=coordinator, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(item, 3, price, rate)]
        )

    assert refused.value.code == code
    assert (PurchaseOrder.objects.count(), PurchaseOrderLine.objects.count()) == (0, 0)


def test_the_database_refuses_a_negative_unit_cost_on_an_item():
    from django.db import IntegrityError, transaction

    item = ItemFactory(unit_cost=Decimal("1.0000"))
    item.unit_cost = Decimal("-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        item.save(update_fields=["unit_cost"])

    item.refresh_from_db()
    assert item.unit_cost == Decimal("1.0000")


# Price history


def test_every_change_of_an_item_unit_cost_is_kept_in_its_history():
    item = ItemFactory(unit_cost=Decimal("1.0000"))
    item.unit_cost = Decimal("1.2500")
    item.save(update_fields=["unit_cost"])

    assert [entry.unit_cost for entry in item.history.order_by("history_date")] == [
        Decimal("1.0000"),
        Decimal("1.2500"),
    ]


# Sending the order


def test_sending_an_order_emails_its_pdf_with_the_totals_to_the_supplier(coordinator):
    order = priced_order(coordinator)

    po_send(actor=coordinator, purchase_order=order)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pedidos@levante.example"]
    assert order.reference in message.subject
    [(file_name, content, mimetype)] = message.attachments
    assert (file_name, mimetype) == (f"{order.reference}.pdf", "application/pdf")
    text = pdf_text(content)
    assert "113,95 €" in text  # net
    assert "7,35 €" in text  # VAT
    assert "121,30 €" in text  # gross
    assert "0,8125 €" in text  # a four-decimal unit price as given


def test_the_sent_copy_is_kept_byte_for_byte(coordinator):
    order = priced_order(coordinator)

    po_send(actor=coordinator, purchase_order=order)

    document = PurchaseOrderDocument.objects.get(purchase_order=order)
    order.refresh_from_db()
    assert bytes(document.content) == mail.outbox[0].attachments[0][1]
    assert (document.sent_to, document.sent_at, document.sent_by, document.language) == (
        "pedidos@levante.example",
        order.sent_at,
        coordinator,
        "es",
    )


@pytest.mark.parametrize(
    ("language", "words", "total"),
    [
        ("es", ("Artículo", "Unidades"), "121,30 €"),
        ("ca", ("Article", "Unitats"), "121,30 €"),
        ("en", ("Item", "Units"), "121.30 €"),
    ],
)
def test_the_pdf_is_written_in_the_supplier_language(coordinator, language, words, total):
    order = priced_order(coordinator, supplier=SupplierFactory(email="orders@example.com", language=language))

    po_send(actor=coordinator, purchase_order=order)

    text = pdf_text(mail.outbox[0].attachments[0][1])
    assert all(word in text for word in words)
    assert total in text


def test_a_supplier_without_email_gets_no_mail_but_the_copy_is_kept(coordinator):
    order = priced_order(coordinator, supplier=SupplierFactory(email=""))

    po_send(actor=coordinator, purchase_order=order)

    assert mail.outbox == []
    assert PurchaseOrderDocument.objects.get(purchase_order=order).sent_to == ""


def test_a_mail_server_refusal_leaves_the_order_a_draft(coordinator, monkeypatch):
    def refuse(message, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"pedidos@levante.example": (550, b"no such mailbox")})

    monkeypatch.setattr(EmailMessage, "send", refuse)
    order = priced_order(coordinator)

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        po_send(actor=coordinator, purchase_order=order)

    order.refresh_from_db()
    assert (order.status, order.sent_at, PurchaseOrderDocument.objects.count()) == ("draft", None, 0)


# Receiving: lot costs and differences


def test_a_lot_received_against_an_order_costs_its_line_unit_price(coordinator):
    order = po_send(actor=coordinator, purchase_order=priced_order(coordinator))
    rice_line = order.lines.order_by("pk").first()

    po_receive(
        actor=coordinator,
        purchase_order=order,
        received_on=TODAY(),
        lines=[(rice_line, 100, "R-1", TODAY() + IN_A_YEAR)],
    )

    assert StockLot.objects.get(lot_code="R-1").unit_cost == Decimal("0.8125")


def test_a_donation_lot_costs_its_declared_value_or_else_the_item_unit_cost(coordinator):
    milk = ItemFactory(unit_cost=Decimal("0.9000"))
    beans = ItemFactory(unit_cost=Decimal("1.1000"))

    donation_receive(
        actor=coordinator,
        donor=DonorFactory(),
        warehouse=WarehouseFactory(),
        received_on=TODAY(),
        lines=[(milk, 10, "M-1", None, Decimal("0.75")), (beans, 4, "B-1", None)],
    )

    assert dict(StockLot.objects.values_list("lot_code", "unit_cost")) == {
        "M-1": Decimal("0.7500"),
        "B-1": Decimal("1.1000"),
    }


def test_a_negative_declared_value_is_refused_and_nothing_is_received(coordinator):
    milk = ItemFactory()

    with pytest.raises(ValidationError) as refused:
        donation_receive(
            actor=coordinator,
            donor=DonorFactory(),
            warehouse=WarehouseFactory(),
            received_on=TODAY(),
            lines=[(milk, 10, "M-1", None, Decimal("-0.10"))],
        )

    assert refused.value.code == "price_negative"
    assert StockLot.objects.count() == 0


# Packs and the stock value


def test_a_pack_is_worth_its_components_at_their_unit_cost():
    rice = ItemFactory(unit_cost=Decimal("0.8125"))
    oil = ItemFactory(unit_cost=Decimal("3.1000"))
    pack = pack_with({rice: 3, oil: 1})

    assert pack_values() == {pack.pk: Decimal("5.54")}  # 2.4375 + 3.10 = 5.5375 → 5.54


def test_stock_value_is_each_lot_remaining_units_at_its_own_cost(coordinator):
    rice = ItemFactory(unit_cost=Decimal("9.9999"))
    depot = WarehouseFactory()
    old = lot_receive(actor=coordinator, item=rice, warehouse=depot, lot_code="A", quantity=10, expiry_date=None)
    StockLot.objects.filter(pk=old.pk).update(unit_cost=Decimal("0.5000"))
    lot_receive(
        actor=coordinator,
        item=rice,
        warehouse=depot,
        lot_code="B",
        quantity=6,
        expiry_date=None,
        unit_cost=Decimal("0.6250"),
    )
    # A lot from before prices were kept is valued at the item's unit cost.
    lot_receive(actor=coordinator, item=rice, warehouse=depot, lot_code="C", quantity=1, expiry_date=None)
    stock_adjust(actor=coordinator, lot=old, quantity=-7, reason="damaged")  # 3 left of A

    [row] = stock_value()

    # 3 × 0.50 + 6 × 0.625 + 1 × 9.9999 = 1.50 + 3.75 + 9.9999 = 15.2499 → 15.25
    assert (row.warehouse, row.item, row.units, row.value, row.lots_without_cost) == (
        depot,
        rice,
        10,
        Decimal("15.25"),
        1,
    )


def test_an_assembled_pack_costs_the_lots_taken_for_it(coordinator):
    rice = ItemFactory(unit_cost=Decimal("1.0000"))
    kit_item = ItemFactory(category="kit")
    pack = pack_with({rice: 2}, stock_item=kit_item)
    depot = WarehouseFactory()
    lot_receive(
        actor=coordinator,
        item=rice,
        warehouse=depot,
        lot_code="R",
        quantity=4,
        expiry_date=None,
        unit_cost=Decimal("0.3333"),
    )

    packs_assemble(actor=coordinator, pack=pack, warehouse=depot, quantity=2)

    assert StockLot.objects.get(item=kit_item).unit_cost == Decimal("0.6666")
