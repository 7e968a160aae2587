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

from inventory.models import Item, StockBalance, StockLot, StockMovement, Warehouse

Kind = StockMovement.Kind
Reason = StockMovement.Reason


class NegativeStock(ValidationError):
    """A movement would take a lot below zero; nothing was posted."""


def lot_create(*, item: Item, warehouse: Warehouse, lot_code: str, expiry_date: dt.date | None, **fields) -> StockLot:
    """A new lot with its (empty) balance row; goods arrive with the movement that follows."""
    lot_code = lot_code.strip()
    if not lot_code:
        raise ValidationError(_("Every lot needs a lot code."))
    if StockLot.objects.filter(item=item, warehouse=warehouse, lot_code=lot_code).exists():
        raise ValidationError(
            _("Lot %(code)s of %(item)s is already in %(warehouse)s.")
            % {"code": lot_code, "item": item.label, "warehouse": warehouse.name}
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
            raise ValidationError(_("A stock movement cannot be of zero units."))
        if movement.kind in (Kind.ADJUSTMENT, Kind.WRITE_OFF) and not movement.reason:
            raise ValidationError(_("Adjustments and write-offs need a reason."))
        deltas[movement.lot_id] += movement.quantity
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
    return created


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValidationError(
            _("Quantities must be whole numbers above zero; got %(quantity)s.") % {"quantity": quantity}
        )
    return quantity


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
        raise ValidationError(_("A receipt must bring at least one unit; got %(quantity)s.") % {"quantity": quantity})
    received_on = received_on or timezone.localdate()
    if expiry_date is not None and expiry_date < received_on:
        raise ValidationError(
            _("Lot %(code)s expired on %(date)s: expired goods are not received into stock.")
            % {"code": lot_code, "date": expiry_date.strftime("%d/%m/%Y")}
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
        raise ValidationError(_("Choose a reason for the adjustment."))
    if quantity == 0:
        raise ValidationError(_("An adjustment of zero units changes nothing."))
    kind = Kind.WRITE_OFF if reason in (Reason.EXPIRED, Reason.DAMAGED) and quantity < 0 else Kind.ADJUSTMENT
    return movements_post(
        [StockMovement(lot=lot, kind=kind, quantity=quantity, reason=reason, note=note, created_by=actor)]
    )[0]


def stock_write_off(
    *, actor, lot: StockLot, quantity: int, reason: str = Reason.DAMAGED, note: str = ""
) -> StockMovement:
    """Take spoiled goods off the shelf: expired or damaged."""
    if reason not in (Reason.EXPIRED, Reason.DAMAGED):
        raise ValidationError(_("A write-off is for expired or damaged goods."))
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
    lots = (
        StockLot.objects.select_for_update()
        .filter(warehouse=warehouse, expiry_date__lt=on, balance__quantity__gt=0)
        .select_related("balance")
    )
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
        raise ValidationError(_("A transfer needs a different warehouse."))
    target = StockLot.objects.filter(item=lot.item, warehouse=to, lot_code=lot.lot_code).first()
    if target is None:
        target = lot_create(
            item=lot.item,
            warehouse=to,
            lot_code=lot.lot_code,
            expiry_date=lot.expiry_date,
            source=StockLot.Source.TRANSFER,
            supplier=lot.supplier,
        )
    elif target.expiry_date != lot.expiry_date:
        raise ValidationError(_("A lot with that code but another expiry date is already there."))
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
        raise ValidationError(_("This movement is itself a reversal; post a new movement instead."))
    if StockMovement.objects.filter(reverses=movement).exists():
        raise ValidationError(_("This movement was already reversed."))
    if movement.kind == Kind.DISPATCH:
        raise ValidationError(_("A delivered pack comes back as a return, not as a reversal."))
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
