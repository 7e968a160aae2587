"""Assembling packs from items, and the warehouse team's list of what to assemble for a delivery day.

Orders usually hold the *items* of their packs (reserved when the aid was approved). Assembling converts those
holds into holds on the finished packs, so the same units are never counted twice: the items leave the shelf
(assembly movements out) and the packs arrive as a new lot (assembly movement in), in one transaction.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.ledger import lot_create, movements_post
from inventory.limits import MAX_PACKS_PER_ASSEMBLY
from inventory.models import Item, Pack, Reservation, StockLot, StockMovement, Warehouse
from inventory.money import PRICE_STEP
from inventory.reservations import InsufficientStock, fefo_take, items_lock, shortages_of
from inventory.selectors import available_by_item

ACTIVE = Reservation.Status.ACTIVE


def _held_for_assembly(*, pack: Pack, warehouse: Warehouse, due_by: dt.date | None):
    """Item holds of orders still waiting for this pack to be assembled, soonest order first."""
    holds = Reservation.objects.filter(pack=pack, warehouse=warehouse, status=ACTIVE).exclude(item=pack.stock_item)
    if due_by is not None:
        holds = holds.filter(order__due_date__lte=due_by)
    return holds.order_by("order__due_date", "order__priority", "order_id", "pk")


def _packs_held(rows: list[Reservation], bill: dict[int, int]) -> int:
    # Any component line says how many packs the order waits for: units held / units per pack.
    first = rows[0]
    return first.quantity // bill[first.item_id]


@transaction.atomic
def packs_assemble(
    *, actor, pack: Pack, warehouse: Warehouse, quantity: int, on: dt.date | None = None, for_orders: bool = True
) -> StockLot:
    """Build `quantity` packs from the shelf, first-expiring items first, and return the new lot of packs.

    With `for_orders`, orders due by `on` that hold this pack's items are served first: their holds move to
    the packs. The packs expire with the earliest-expiring item in them."""
    if pack.stock_item_id is None:
        raise ValidationError(
            _("%(pack)s is not kept as assembled stock.") % {"pack": pack.label}, code="pack_not_assembled_stock"
        )
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValidationError(
            _("Assemble at least one pack; got %(quantity)s.") % {"quantity": quantity}, code="quantity_not_positive"
        )
    if quantity > MAX_PACKS_PER_ASSEMBLY:
        raise ValidationError(
            _("Assemble at most %(max)s packs at once; got %(quantity)s. Nothing was assembled.")
            % {"max": MAX_PACKS_PER_ASSEMBLY, "quantity": quantity},
            code="quantity_too_large",
        )
    on = on or timezone.localdate()
    bill = {c.item_id: c.quantity for c in pack.components.all()}
    if not bill:
        raise ValidationError(_("%(pack)s has no items in its bill.") % {"pack": pack.label}, code="pack_bill_empty")
    items = items_lock([*bill, pack.stock_item_id])

    served: dict[int, tuple[list[Reservation], int]] = {}
    if for_orders:
        by_order: dict[int, list[Reservation]] = defaultdict(list)
        for hold in _held_for_assembly(pack=pack, warehouse=warehouse, due_by=on).select_for_update(of=("self",)):
            by_order[hold.order_id].append(hold)
        taken = 0
        for order_id, rows in by_order.items():
            count = _packs_held(rows, bill)
            if taken + count <= quantity:
                served[order_id] = (rows, count)
                taken += count
    packs_for_orders = sum(count for _rows, count in served.values())

    # Units held by the orders served are ours to use; the rest must be free stock.
    free_needed = {item_id: per * (quantity - packs_for_orders) for item_id, per in bill.items()}
    available = available_by_item(warehouse=warehouse, on=on, items=list(bill))
    shortages = shortages_of({k: v for k, v in free_needed.items() if v}, available, items)
    if shortages:
        raise InsufficientStock(shortages)

    movements, expiries, cost = [], [], Decimal(0)
    item_costs = dict(Item.objects.filter(pk__in=bill).values_list("pk", "unit_cost"))
    for item_id, per in sorted(bill.items()):
        for lot, units in fefo_take(item_id=item_id, warehouse=warehouse, on=on, quantity=per * quantity):
            movements.append(
                StockMovement(lot=lot, kind=StockMovement.Kind.ASSEMBLY, quantity=-units, created_by=actor)
            )
            if lot.expiry_date:
                expiries.append(lot.expiry_date)
            # An assembled pack costs what the lots taken for it cost (inventory/money.py).
            cost += units * (lot.unit_cost if lot.unit_cost is not None else item_costs[item_id])
    batch = movements[0].batch
    for movement in movements:
        movement.batch = batch
    sequence = StockLot.objects.filter(item=pack.stock_item, warehouse=warehouse, received_on=on).count() + 1
    lot = lot_create(
        item=pack.stock_item,
        warehouse=warehouse,
        lot_code=f"{pack.code.upper()}-{on:%Y%m%d}-{sequence}",
        expiry_date=min(expiries, default=None),
        received_on=on,
        source=StockLot.Source.ASSEMBLY,
        unit_cost=(cost / quantity).quantize(PRICE_STEP, rounding=ROUND_HALF_UP),
    )
    movements.append(
        StockMovement(lot=lot, kind=StockMovement.Kind.ASSEMBLY, quantity=quantity, batch=batch, created_by=actor)
    )
    movements_post(movements)

    Reservation.objects.filter(pk__in=[r.pk for rows, _c in served.values() for r in rows]).update(
        status=Reservation.Status.CONSUMED
    )
    # An order that already holds some assembled packs of this line (taken from the shelf when it was reserved)
    # gets the new ones added to that hold: one active hold per order line and item.
    held_packs = {
        hold.order_id: hold
        for hold in Reservation.objects.select_for_update().filter(
            order_id__in=served, item=pack.stock_item, pack=pack, status=ACTIVE
        )
    }
    for order_id, (_rows, count) in served.items():
        if order_id in held_packs:
            Reservation.objects.filter(pk=held_packs[order_id].pk).update(quantity=F("quantity") + count)
    Reservation.objects.bulk_create(
        Reservation(order_id=order_id, item=pack.stock_item, pack=pack, warehouse=warehouse, quantity=count)
        for order_id, (_rows, count) in served.items()
        if order_id not in held_packs
    )
    return lot


@dataclass
class PickLine:
    item: object
    units: int
    lots: list[tuple[StockLot, int]] = field(default_factory=list)  # FEFO suggestion: (lot, units)


@dataclass
class AssemblyNeed:
    pack: Pack
    to_assemble: int
    already_assembled: int
    orders: int
    picks: list[PickLine]


def assembly_needs(*, warehouse: Warehouse, on: dt.date) -> list[AssemblyNeed]:
    """What the team must assemble for orders due on or before `on`, with the lots to take (first expiring first)."""
    packs = Pack.objects.filter(stock_item__isnull=False).prefetch_related("components__item").order_by("name")
    needs = []
    for pack in packs:
        bill = {c.item_id: c.quantity for c in pack.components.all()}
        if not bill:
            continue
        by_order: dict[int, list[Reservation]] = defaultdict(list)
        for hold in _held_for_assembly(pack=pack, warehouse=warehouse, due_by=on):
            by_order[hold.order_id].append(hold)
        to_assemble = sum(_packs_held(rows, bill) for rows in by_order.values())
        assembled = (
            Reservation.objects.filter(
                pack=pack, item=pack.stock_item, warehouse=warehouse, status=ACTIVE, order__due_date__lte=on
            ).aggregate(total=Sum("quantity"))["total"]
            or 0
        )
        if not to_assemble and not assembled:
            continue
        picks = [
            PickLine(
                item=component.item,
                units=component.quantity * to_assemble,
                lots=fefo_take(
                    item_id=component.item_id, warehouse=warehouse, on=on, quantity=component.quantity * to_assemble
                )
                if to_assemble
                else [],
            )
            for component in pack.components.all()
        ]
        needs.append(AssemblyNeed(pack, to_assemble, assembled, len(by_order), picks))
    return needs
