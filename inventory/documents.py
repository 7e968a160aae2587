"""Printed sheets of the warehouse: the team's assembly list (packs to build for a delivery day and the lots to
take) and the purchase order sent to a supplier."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.dates import day_text
from core.pdf import CELL, CELL_BOLD, GRID, SECTION, TITLE, cell, head_cell, heading, pdf_build
from inventory.assembly import assembly_needs
from inventory.models import PurchaseOrder, Warehouse
from inventory.money import currency, purchase_order_money

CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=TA_RIGHT)
CELL_RIGHT_BOLD = ParagraphStyle("cell_right_bold", parent=CELL_BOLD, alignment=TA_RIGHT)
TOTALS = TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
CURRENCY_SIGNS = {"EUR": "€"}


def _lots(pick) -> str:
    if not pick.lots:
        return _("not enough on the shelf")
    return "\n".join(
        _("%(units)s from %(lot)s%(location)s, expires %(expiry)s")
        % {
            "units": units,
            "lot": lot.lot_code,
            "location": f" ({lot.location.code})" if lot.location else "",
            "expiry": day_text(lot.expiry_date) if lot.expiry_date else _("never"),
        }
        for lot, units in pick.lots
    )


def assembly_list_pdf(*, warehouse: Warehouse, on: dt.date, language: str = settings.LANGUAGE_CODE) -> bytes:
    """One section per pack: how many to build, then each item with the first-expiring lots to take it from."""
    with translation.override(language):
        needs = assembly_needs(warehouse=warehouse, on=on)
        story = [
            heading(_("Assembly list"), TITLE),
            heading(
                _("%(warehouse)s — for deliveries on %(date)s")
                % {"warehouse": warehouse.name, "date": date_format(on, "DATE_FORMAT")}
            ),
            Spacer(1, 4 * mm),
        ]
        if not needs:
            story.append(heading(_("Nothing to assemble: every order for that day already has its packs.")))
        for need in needs:
            story.append(
                heading(
                    _("%(pack)s: assemble %(count)s (for %(orders)s orders; %(ready)s already assembled)")
                    % {
                        "pack": need.pack.label,
                        "count": need.to_assemble,
                        "orders": need.orders,
                        "ready": need.already_assembled,
                    },
                    SECTION,
                )
            )
            if not need.to_assemble:
                continue
            rows = [[cell(h) for h in (_("Item"), _("Units"), _("Take from (first to expire first)"), _("Done"))]]
            rows += [[cell(p.item.label), cell(p.units), cell(_lots(p)), ""] for p in need.picks]
            table = Table(rows, colWidths=[58 * mm, 16 * mm, 88 * mm, 22 * mm], repeatRows=1)
            table.setStyle(GRID)
            story += [table, Spacer(1, 5 * mm)]
        footer = f"{warehouse.name} · {day_text(on)}"
        return pdf_build(story, pagesize=A4, footer=footer)


def money_text(amount: Decimal) -> str:
    """An amount as the reader of the active language writes it, with the currency: 1.234,50 € in Spanish."""
    number = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    return f"{number} {CURRENCY_SIGNS.get(currency(), currency())}"


def price_text(price: Decimal) -> str:
    """A unit price: two decimals, or up to four when the price has them."""
    places = max(2, min(4, -price.normalize().as_tuple().exponent))
    number = formats.number_format(price, places, use_l10n=True, force_grouping=True)
    return f"{number} {CURRENCY_SIGNS.get(currency(), currency())}"


def purchase_order_pdf(*, order: PurchaseOrder, language: str) -> bytes:
    """The purchase order as the supplier reads it: lines with unit price, VAT rate and amounts, then the totals
    (net, VAT per rate, gross), all from `inventory.money`."""
    with translation.override(language):
        money = purchase_order_money(order)
        supplier, warehouse = order.supplier, order.warehouse
        story = [
            heading(_("Purchase order %(reference)s") % {"reference": order.reference}, TITLE),
            heading(
                _("To: %(supplier)s%(tax_id)s")
                % {"supplier": supplier.name, "tax_id": f" ({supplier.tax_id})" if supplier.tax_id else ""}
            ),
            heading(
                _("Deliver to: %(warehouse)s, %(address)s")
                % {"warehouse": warehouse.name, "address": warehouse.address}
            ),
        ]
        if order.expected_on:
            story.append(heading(_("Expected on: %(date)s") % {"date": date_format(order.expected_on, "DATE_FORMAT")}))
        if order.note:
            story.append(heading(_("Note: %(note)s") % {"note": order.note}))
        story.append(Spacer(1, 4 * mm))
        headers = (_("SKU"), _("Item"), _("Units"), _("Unit price"), _("VAT"), _("Net"), _("Gross"))
        rows = [[head_cell(h) for h in headers]]
        for entry in money.lines:
            line = entry.line
            rows.append(
                [
                    cell(line.item.sku),
                    cell(line.item.label),
                    cell(line.quantity_ordered, CELL_RIGHT),
                    cell(price_text(line.unit_price), CELL_RIGHT),
                    cell(f"{line.vat_rate} %", CELL_RIGHT),
                    cell(money_text(entry.ordered.net), CELL_RIGHT),
                    cell(money_text(entry.ordered.gross), CELL_RIGHT),
                ]
            )
        table = Table(rows, colWidths=[22 * mm, 62 * mm, 15 * mm, 22 * mm, 13 * mm, 26 * mm, 26 * mm], repeatRows=1)
        table.setStyle(GRID)
        story += [table, Spacer(1, 4 * mm)]
        totals = [[cell(_("Net total")), cell(money_text(money.ordered.net), CELL_RIGHT)]]
        totals += [
            [
                cell(_("VAT %(rate)s %% on %(base)s") % {"rate": rate, "base": money_text(amounts.net)}),
                cell(money_text(amounts.vat), CELL_RIGHT),
            ]
            for rate, amounts in money.vat_by_rate
        ]
        totals.append([cell(_("Total VAT")), cell(money_text(money.ordered.vat), CELL_RIGHT)])
        totals.append([cell(_("Total"), CELL_BOLD), cell(money_text(money.ordered.gross), CELL_RIGHT_BOLD)])
        totals_table = Table(totals, colWidths=[60 * mm, 32 * mm], hAlign="RIGHT")
        totals_table.setStyle(TOTALS)
        story.append(totals_table)
        footer = f"{order.reference} · {supplier.name}"
        return pdf_build(story, pagesize=A4, footer=footer)
