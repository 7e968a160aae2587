"""The stock ledger: the only code that writes StockMovement rows and the balances kept from them.

Every change of stock is a list of movements posted in one transaction with the balances of their lots. A
balance below zero is refused by the database itself (a check constraint), so no code path can oversell a lot.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import day_text
from inventory.limits import MAX_UNITS_PER_LOT, MAX_UNITS_PER_MOVEMENT
from inventory.models import Item, Reservation, StockBalance, StockLot, StockMovement, Warehouse
from inventory.selectors import usable_lots_q

Kind = StockMovement.Kind
Reason = StockMovement.Reason


class NegativeStock(ValidationError):
    """A movement would take a lot below zero; nothing was posted."""


class StockHeld(ValidationError):
    """Units would leave the shelf that active reservations count on; nothing was posted.

    Without this, a write-off of reserved units passes (every lot stays >= 0) and the delivery fails at the door
    with InsufficientStock. Refusing is safer than re-shorting orders behind the coordinator's back: they choose
    which orders to release or cancel."""


def _stock_held(*, item: Item, warehouse: Warehouse, held: int, orders: int, usable_after: int) -> StockHeld:
    message = ngettext(
        "%(item)s in %(warehouse)s: %(held)s units are held for %(orders)s delivery order and only "
        "%(left)s usable units would remain. Release or cancel that order first; nothing was changed.",
        "%(item)s in %(warehouse)s: %(held)s units are held for %(orders)s delivery orders and only "
        "%(left)s usable units would remain. Release or cancel some of those orders first; nothing was changed.",
        orders,
    ) % {"item": item.label, "warehouse": warehouse.name, "held": held, "orders": orders, "left": max(usable_after, 0)}
    error = StockHeld(message, code="stock_held")
    # The facts travel with the refusal, for callers that answer in data rather than in words.
    error.item, error.warehouse, error.held, error.orders = item, warehouse, held, orders
    return error


def _consumes_its_own_holds(movement: StockMovement) -> bool:
    # A dispatch takes exactly what its order holds and consumes the hold; an assembly turns item holds into pack
    # holds in the same transaction. Any other outflow (write-off, adjustment, transfer, count, a reversal) must
    # leave the holds covered.
    return movement.kind == Kind.DISPATCH or (movement.kind == Kind.ASSEMBLY and movement.reverses_id is None)


def _held_keys_lock(movements: list[StockMovement]) -> set[tuple[int, int]]:
    """(item, warehouse) pairs whose holds the movements could uncover, with their items locked."""
    lot_ids = {m.lot_id for m in movements if m.quantity < 0 and not _consumes_its_own_holds(m)}
    if not lot_ids:
        return set()
    keys = set(StockLot.objects.filter(pk__in=lot_ids).values_list("item_id", "warehouse_id"))
    # The reservation pass and the dispatch lock the same item rows in the same (pk) order before they read or
    # change holds, so a hold cannot appear between this check and the commit.
    list(Item.objects.select_for_update().filter(pk__in={item_id for item_id, _w in keys}).order_by("pk"))
    return keys


def _holds_check(keys: set[tuple[int, int]], deltas: dict[int, int]) -> None:
    """Refuse when, after the movements, usable units of an item in a warehouse are fewer than its active holds."""
    today = timezone.localdate()
    usable_lots = StockLot.objects.filter(usable_lots_q(today), pk__in=deltas)
    # Taking expired units (the nightly expiry write-off) never uncovers a hold: holds count on usable units only.
    removed = defaultdict(int)
    for lot_id, item_id, warehouse_id in usable_lots.values_list("pk", "item_id", "warehouse_id"):
        removed[item_id, warehouse_id] += deltas[lot_id]
    for item_id, warehouse_id in sorted(keys):
        if removed[item_id, warehouse_id] >= 0:
            continue
        holds = Reservation.objects.filter(item_id=item_id, warehouse_id=warehouse_id, status=Reservation.Status.ACTIVE)
        held = holds.aggregate(total=Sum("quantity"))["total"] or 0
        if not held:
            continue
        usable_after = (
            StockLot.objects.filter(usable_lots_q(today), item_id=item_id, warehouse_id=warehouse_id).aggregate(
                total=Sum("balance__quantity")
            )["total"]
            or 0
        )
        if usable_after < held:
            raise _stock_held(
                item=Item.objects.get(pk=item_id),
                warehouse=Warehouse.objects.get(pk=warehouse_id),
                held=held,
                orders=holds.values("order_id").distinct().count(),
                usable_after=usable_after,
            )


def lot_create(*, item: Item, warehouse: Warehouse, lot_code: str, expiry_date: dt.date | None, **fields) -> StockLot:
    """A new lot with its (empty) balance row; goods arrive with the movement that follows."""
    lot_code = lot_code.strip()
    if not lot_code:
        raise ValidationError(_("Every lot needs a lot code."), code="lot_code_missing")
    if StockLot.objects.filter(item=item, warehouse=warehouse, lot_code=lot_code).exists():
        raise ValidationError(
            _("Lot %(code)s of %(item)s is already in %(warehouse)s.")
            % {"code": lot_code, "item": item.label, "warehouse": warehouse.name},
            code="lot_code_taken",
        )
    fields.setdefault("received_on", timezone.localdate())
    lot = StockLot.objects.create(item=item, warehouse=warehouse, lot_code=lot_code, expiry_date=expiry_date, **fields)
    StockBalance.objects.create(lot=lot, quantity=0)
    return lot


@transaction.atomic
def movements_post(movements: list[StockMovement]) -> list[StockMovement]:
    """Write movements and move their lots' balances with them, all or nothing."""
    deltas: dict[int, int] = defaultdict(int)
    for movement in movements:
        if movement.quantity == 0:
            raise ValidationError(_("A stock movement cannot be of zero units."), code="zero_quantity")
        if abs(movement.quantity) > MAX_UNITS_PER_LOT:
            # The last line before the integer columns: no movement can be larger than a lot may hold.
            raise ValidationError(
                _("A stock movement cannot move more than %(max)s units; got %(quantity)s. Nothing was changed.")
                % {"max": MAX_UNITS_PER_LOT, "quantity": movement.quantity},
                code="quantity_too_large",
            )
        if movement.kind in (Kind.ADJUSTMENT, Kind.WRITE_OFF) and not movement.reason:
            raise ValidationError(_("Adjustments and write-offs need a reason."), code="reason_missing")
        deltas[movement.lot_id] += movement.quantity
    held_keys = _held_keys_lock(movements)
    _lot_capacity_check(deltas)
    created = StockMovement.objects.bulk_create(movements)
    try:
        # A savepoint, so the refusal can be reported cleanly (PostgreSQL aborts the transaction otherwise).
        with transaction.atomic():
            for lot_id in sorted(deltas):
                StockBalance.objects.filter(lot_id=lot_id).update(quantity=F("quantity") + deltas[lot_id])
    except IntegrityError as error:
        short = [
            lot
            for lot in StockLot.objects.filter(pk__in=deltas).select_related("item", "balance")
            if lot.balance.quantity + deltas[lot.pk] < 0
        ]
        detail = "; ".join(
            _("lot %(code)s of %(item)s holds %(on_hand)s")
            % {"code": lot.lot_code, "item": lot.item.label, "on_hand": lot.balance.quantity}
            for lot in short
        )
        raise NegativeStock(
            _("That would take stock below zero (%(detail)s); nothing was changed.") % {"detail": detail}
        ) from error
    if held_keys:
        _holds_check(held_keys, deltas)
    return created


def _lot_capacity_check(deltas: dict[int, int]) -> None:
    """Refuse a movement that would fill a lot past MAX_UNITS_PER_LOT, long before its balance column overflows."""
    growing = {lot_id: delta for lot_id, delta in deltas.items() if delta > 0}
    if not growing:
        return
    for lot in StockLot.objects.filter(pk__in=growing).select_related("item", "balance").order_by("pk"):
        if lot.balance.quantity + growing[lot.pk] > MAX_UNITS_PER_LOT:
            raise ValidationError(
                _(
                    "Lot %(code)s of %(item)s would hold %(total)s units; a lot holds at most %(max)s. "
                    "Nothing was changed: check the quantity, or receive the goods as a new lot."
                )
                % {
                    "code": lot.lot_code,
                    "item": lot.item.label,
                    "total": lot.balance.quantity + growing[lot.pk],
                    "max": MAX_UNITS_PER_LOT,
                },
                code="lot_too_full",
            )


def quantity_bound(quantity: int, *, maximum: int = MAX_UNITS_PER_MOVEMENT) -> int:
    """Refuse a quantity larger (either sign) than a person may enter for one movement; returns it unchanged."""
    if abs(quantity) > maximum:
        raise ValidationError(
            _("At most %(max)s units can be moved at once; got %(quantity)s. Nothing was changed.")
            % {"max": maximum, "quantity": quantity},
            code="quantity_too_large",
        )
    return quantity


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValidationError(
            _("Quantities must be whole numbers above zero; got %(quantity)s.") % {"quantity": quantity},
            code="quantity_not_positive",
        )
    return quantity_bound(quantity)


@transaction.atomic
def lot_receive(
    *,
    actor,
    item: Item,
    warehouse: Warehouse,
    lot_code: str,
    quantity: int,
    expiry_date: dt.date | None,
    received_on: dt.date | None = None,
    source: str = StockLot.Source.OPENING,
    note: str = "",
    **lot_fields,
) -> StockLot:
    """Put a new lot on the shelf with a receipt movement."""
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError(
            _("A receipt must bring at least one unit; got %(quantity)s.") % {"quantity": quantity},
            code="quantity_not_positive",
        )
    received_on = received_on or timezone.localdate()
    if expiry_date is not None and expiry_date < received_on:
        raise ValidationError(
            _("Lot %(code)s expired on %(date)s: expired goods are not received into stock.")
            % {"code": lot_code, "date": day_text(expiry_date)},
            code="lot_expired",
        )
    lot = lot_create(
        item=item,
        warehouse=warehouse,
        lot_code=lot_code,
        expiry_date=expiry_date,
        received_on=received_on,
        source=source,
        **lot_fields,
    )
    movements_post([StockMovement(lot=lot, kind=Kind.RECEIPT, quantity=quantity, note=note, created_by=actor)])
    return lot


def stock_adjust(*, actor, lot: StockLot, quantity: int, reason: str, note: str = "") -> StockMovement:
    """Correct a lot by +/- units, with a reason (a count difference, goods found, a mistake)."""
    if reason not in Reason.values:
        raise ValidationError(_("Choose a reason for the adjustment."), code="reason_invalid")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise ValidationError(
            _("Quantities must be whole numbers; got %(quantity)s.") % {"quantity": quantity}, code="quantity_invalid"
        )
    if quantity == 0:
        raise ValidationError(_("An adjustment of zero units changes nothing."), code="zero_quantity")
    quantity_bound(quantity)
    kind = Kind.WRITE_OFF if reason in (Reason.EXPIRED, Reason.DAMAGED) and quantity < 0 else Kind.ADJUSTMENT
    return movements_post(
        [StockMovement(lot=lot, kind=kind, quantity=quantity, reason=reason, note=note, created_by=actor)]
    )[0]


def stock_write_off(
    *, actor, lot: StockLot, quantity: int, reason: str = Reason.DAMAGED, note: str = ""
) -> StockMovement:
    """Take spoiled goods off the shelf: expired or damaged."""
    if reason not in (Reason.EXPIRED, Reason.DAMAGED):
        raise ValidationError(_("A write-off is for expired or damaged goods."), code="reason_invalid")
    return movements_post(
        [
            StockMovement(
                lot=lot, kind=Kind.WRITE_OFF, quantity=-_positive(quantity), reason=reason, note=note, created_by=actor
            )
        ]
    )[0]


@transaction.atomic
def expired_write_off(*, actor, warehouse: Warehouse, on: dt.date) -> list[StockMovement]:
    """Write off everything left in lots that expired before `on`: they may never be handed out."""
    expired = StockLot.objects.filter(warehouse=warehouse, expiry_date__lt=on, balance__quantity__gt=0)
    # Items before lots, the order every writer of stock takes, so this never deadlocks with a dispatch.
    list(Item.objects.select_for_update().filter(pk__in=expired.values("item_id")).order_by("pk"))
    lots = expired.select_for_update().select_related("balance")
    return movements_post(
        [
            StockMovement(
                lot=lot, kind=Kind.WRITE_OFF, quantity=-lot.balance.quantity, reason=Reason.EXPIRED, created_by=actor
            )
            for lot in lots
        ]
    )


def stock_return(*, actor, lot: StockLot, quantity: int, order=None, note: str = "") -> StockMovement:
    """Goods that came back (a refused pack) go back on the lot they left from."""
    return movements_post(
        [
            StockMovement(
                lot=lot, kind=Kind.RETURN, quantity=_positive(quantity), order=order, note=note, created_by=actor
            )
        ]
    )[0]


@transaction.atomic
def stock_transfer(*, actor, lot: StockLot, to: Warehouse, quantity: int, note: str = "") -> StockLot:
    """Move units of a lot to another warehouse; the lot keeps its code and expiry there."""
    if to.pk == lot.warehouse_id:
        raise ValidationError(_("A transfer needs a different warehouse."), code="same_warehouse")
    target = StockLot.objects.filter(item=lot.item, warehouse=to, lot_code=lot.lot_code).first()
    if target is None:
        target = lot_create(
            item=lot.item,
            warehouse=to,
            lot_code=lot.lot_code,
            expiry_date=lot.expiry_date,
            source=StockLot.Source.TRANSFER,
            supplier=lot.supplier,
            unit_cost=lot.unit_cost,
        )
    elif target.expiry_date != lot.expiry_date:
        raise ValidationError(
            _("A lot with that code but another expiry date is already there."), code="lot_expiry_differs"
        )
    quantity = _positive(quantity)
    first = StockMovement(lot=lot, kind=Kind.TRANSFER, quantity=-quantity, note=note, created_by=actor)
    movements_post(
        [
            first,
            StockMovement(
                lot=target, kind=Kind.TRANSFER, quantity=quantity, note=note, batch=first.batch, created_by=actor
            ),
        ]
    )
    return target


@transaction.atomic
def movement_reverse(*, actor, movement: StockMovement, note: str = "") -> StockMovement:
    """Undo a movement by posting its opposite; the original stays in the ledger, linked to its reversal."""
    movement = StockMovement.objects.select_for_update().get(pk=movement.pk)
    if movement.reverses_id is not None:
        raise ValidationError(
            _("This movement is itself a reversal; post a new movement instead."), code="movement_is_reversal"
        )
    if StockMovement.objects.filter(reverses=movement).exists():
        raise ValidationError(_("This movement was already reversed."), code="movement_already_reversed")
    if movement.kind == Kind.DISPATCH:
        raise ValidationError(
            _("A delivered pack comes back as a return, not as a reversal."), code="dispatch_not_reversible"
        )
    return movements_post(
        [
            StockMovement(
                lot_id=movement.lot_id,
                kind=movement.kind,
                quantity=-movement.quantity,
                reason=movement.reason or (Reason.CORRECTION if movement.kind == Kind.ADJUSTMENT else ""),
                order_id=movement.order_id,
                reverses=movement,
                note=note or _("Reversal"),
                created_by=actor,
            )
        ]
    )[0]


@dataclass(frozen=True)
class BalanceDifference:
    lot_id: int
    lot: str
    kept: int | None
    ledger: int


def balance_differences() -> list[BalanceDifference]:
    """Every lot whose kept balance is not the sum of its ledger (a missing balance row counts)."""
    ledger = dict(StockLot.objects.annotate(total=Sum("movements__quantity")).values_list("pk", "total"))
    kept = dict(StockBalance.objects.values_list("lot_id", "quantity"))
    names = {lot.pk: str(lot) for lot in StockLot.objects.select_related("item")}
    return [
        BalanceDifference(lot_id=pk, lot=names[pk], kept=kept.get(pk), ledger=total or 0)
        for pk, total in sorted(ledger.items())
        if kept.get(pk) != (total or 0)
    ]
