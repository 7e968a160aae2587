"""Money, computed in one place: a line's net, VAT and gross, a purchase order's totals and what arrived against
it, what a pack is worth, and the value of the stock on the shelf.

Rules, so every figure can be checked by hand:
- Prices and unit costs are VAT excluded and carry four decimals; amounts are rounded to the cent, half up.
- A line's net = quantity × unit price, rounded; its VAT = net × rate / 100, rounded; gross = net + VAT. An order's
  totals are the sums of its lines' rounded amounts, so the printed lines add up to the printed totals.
- A lot's unit cost is the one it was received at (its purchase line's unit price, a donation's declared value, the
  item's unit cost for opening stock and assembled packs); a lot without one is valued at the item's unit cost now.
- Stock value (FIFO by lot): every lot's units still on the shelf × that lot's unit cost, summed per depot and
  item and then rounded to the cent. Issues take the first-expiring lot first, so the lots left are the latest
  ones, each at what it cost.
- A pack is worth the sum of its components' quantity × the item's unit cost now, VAT excluded.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from inventory.models import Item, Pack, PurchaseOrder, StockLot, VatRate, Warehouse

CENT = Decimal("0.01")
PRICE_STEP = Decimal("0.0001")
# Twelve digits, four of them decimals: the model fields' bound.
MAX_PRICE = Decimal("99999999.9999")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def currency() -> str:
    return settings.CURRENCY


def price_check(value, *, label: str) -> Decimal:
    """A unit price or cost as given: a Decimal of zero or more with at most four decimals, or refused."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ValidationError(
            _("%(label)s: a price is a number such as 1.25; got %(value)s. Nothing was saved.")
            % {"label": label, "value": value},
            code="price_invalid",
        )
    try:
        price = Decimal(value)
    except ArithmeticError:
        price = None
    if price is None or not price.is_finite():
        raise ValidationError(
            _("%(label)s: a price is a number such as 1.25; got %(value)s. Nothing was saved.")
            % {"label": label, "value": value},
            code="price_invalid",
        )
    if price < 0:
        raise ValidationError(
            _("%(label)s: a price cannot be below zero; got %(value)s. Nothing was saved.")
            % {"label": label, "value": value},
            code="price_negative",
        )
    if price > MAX_PRICE or price.quantize(PRICE_STEP, rounding=ROUND_HALF_UP) != price:
        raise ValidationError(
            _("%(label)s: prices go up to %(max)s with at most four decimals; got %(value)s. Nothing was saved.")
            % {"label": label, "max": MAX_PRICE, "value": value},
            code="price_out_of_range",
        )
    return price


def vat_rate_check(value, *, label: str) -> int:
    if isinstance(value, bool) or value not in VatRate.values:
        raise ValidationError(
            _("%(label)s: the VAT rate is one of %(rates)s %%; got %(value)s. Nothing was saved.")
            % {"label": label, "rates": ", ".join(str(rate) for rate in VatRate.values), "value": value},
            code="vat_rate_invalid",
        )
    return int(value)


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    vat: Decimal
    gross: Decimal

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(self.net + other.net, self.vat + other.vat, self.gross + other.gross)


ZERO = Amounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def line_amounts(*, quantity: int, unit_price: Decimal, vat_rate: int) -> Amounts:
    net = cents(Decimal(quantity) * unit_price)
    vat = cents(net * Decimal(vat_rate) / 100)
    return Amounts(net, vat, net + vat)


@dataclass(frozen=True)
class LineMoney:
    """A purchase order line: what was ordered, what arrived and the difference, in units and in money."""

    line: object  # PurchaseOrderLine
    ordered: Amounts
    received: Amounts

    @property
    def units_missing(self) -> int:
        return self.line.quantity_ordered - self.line.quantity_received

    @property
    def money_missing(self) -> Amounts:
        return Amounts(
            self.ordered.net - self.received.net,
            self.ordered.vat - self.received.vat,
            self.ordered.gross - self.received.gross,
        )


@dataclass(frozen=True)
class OrderMoney:
    lines: tuple[LineMoney, ...]
    ordered: Amounts
    received: Amounts
    vat_by_rate: tuple[tuple[int, Amounts], ...]  # (rate, amounts of the lines at that rate), as invoices show

    @property
    def missing(self) -> Amounts:
        return Amounts(
            self.ordered.net - self.received.net,
            self.ordered.vat - self.received.vat,
            self.ordered.gross - self.received.gross,
        )


def purchase_order_money(order: PurchaseOrder) -> OrderMoney:
    """The order's lines (prefetched or not) with their amounts, its totals, and what arrived against them."""
    lines = []
    ordered = received = ZERO
    by_rate: dict[int, Amounts] = defaultdict(lambda: ZERO)
    # In the order they were written (sorted here, so prefetched lines keep their single query).
    for line in sorted(order.lines.all(), key=lambda line: line.pk):
        line_ordered = line_amounts(quantity=line.quantity_ordered, unit_price=line.unit_price, vat_rate=line.vat_rate)
        line_received = line_amounts(
            quantity=line.quantity_received, unit_price=line.unit_price, vat_rate=line.vat_rate
        )
        lines.append(LineMoney(line, line_ordered, line_received))
        ordered += line_ordered
        received += line_received
        by_rate[line.vat_rate] += line_ordered
    return OrderMoney(tuple(lines), ordered, received, tuple(sorted(by_rate.items())))


def pack_values(packs: Iterable[Pack] | None = None) -> dict[int, Decimal]:
    """Per pack id: what one pack is worth, its components at their items' unit cost now (VAT excluded).

    Pass packs with `components__item` prefetched, or none for every pack."""
    packs = Pack.objects.prefetch_related("components__item") if packs is None else packs
    return {
        pack.pk: cents(sum((c.item.unit_cost * c.quantity for c in pack.components.all()), Decimal(0)))
        for pack in packs
    }


@dataclass(frozen=True)
class StockValue:
    warehouse: Warehouse
    item: Item
    units: int
    value: Decimal
    lots_without_cost: int  # lots valued at the item's unit cost, since they were received before prices were kept

    @property
    def average_cost(self) -> Decimal | None:
        return (self.value / self.units).quantize(PRICE_STEP, rounding=ROUND_HALF_UP) if self.units else None


def stock_value(*, warehouse: Warehouse | None = None) -> list[StockValue]:
    """Per depot and item with units on the shelf: the units and their value, FIFO by lot (module docstring)."""
    lots = StockLot.objects.filter(balance__quantity__gt=0).annotate(on_hand=F("balance__quantity"))
    if warehouse is not None:
        lots = lots.filter(warehouse=warehouse)
    totals: dict[tuple[int, int], list] = {}
    for lot in lots.select_related("item", "warehouse").order_by("warehouse__name", "item__sku", "pk"):
        key = (lot.warehouse_id, lot.item_id)
        row = totals.setdefault(key, [lot.warehouse, lot.item, 0, Decimal(0), 0])
        cost = lot.unit_cost if lot.unit_cost is not None else lot.item.unit_cost
        row[2] += lot.on_hand
        row[3] += lot.on_hand * cost
        row[4] += lot.unit_cost is None
    return [
        StockValue(warehouse, item, units, cents(value), without)
        for warehouse, item, units, value, without in totals.values()
    ]


def stock_value_by_warehouse(rows: list[StockValue]) -> list[tuple[Warehouse, Decimal]]:
    """The depot totals of `stock_value` rows, in the rows' order."""
    totals: dict[int, list] = {}
    for row in rows:
        totals.setdefault(row.warehouse.pk, [row.warehouse, Decimal("0.00")])[1] += row.value
    return [(warehouse, value) for warehouse, value in totals.values()]
