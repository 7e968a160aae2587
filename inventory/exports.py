"""The stock value as a file: one row per depot and item (FIFO by lot, `inventory.money.stock_value`), for Spanish
Excel as CSV (`;`, decimal commas, a byte-order mark) or as XLSX, every cell through the shared formula guard
(`core.sheets`): item names are typed by people."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from core.sheets import csv_text, xlsx_content
from inventory.money import StockValue, currency


def _headers() -> list[str]:
    return [
        _("Warehouse"),
        _("SKU"),
        _("Item"),
        _("Units on hand"),
        _("Value, VAT excluded (%(currency)s)") % {"currency": currency()},
        _("Average unit cost (%(currency)s)") % {"currency": currency()},
        _("Lots valued at the item's unit cost"),
    ]


def _rows(rows: list[StockValue]) -> list[list]:
    body = [
        [
            row.warehouse.name,
            row.item.sku,
            row.item.label,
            row.units,
            row.value,
            row.average_cost,
            row.lots_without_cost,
        ]
        for row in rows
    ]
    total = sum((row.value for row in rows), Decimal("0.00"))
    body.append(
        [_("Total"), "", "", sum(row.units for row in rows), total, None, sum(r.lots_without_cost for r in rows)]
    )
    return body


def _csv_cell(value):
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    return value


def stock_value_csv(rows: list[StockValue]) -> bytes:
    return csv_text([_headers(), *([_csv_cell(v) for v in row] for row in _rows(rows))]).encode("utf-8-sig")


def stock_value_xlsx(rows: list[StockValue]) -> bytes:
    return xlsx_content(title=_("Stock value"), headers=_headers(), rows=_rows(rows))
