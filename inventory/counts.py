"""Cycle counts: snapshot what the ledger says, record what the shelf holds, post the differences as adjustments."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from inventory.ledger import movements_post
from inventory.limits import MAX_UNITS_PER_LOT
from inventory.models import Item, StockBalance, StockCount, StockCountLine, StockLot, StockMovement, Warehouse

Reason = StockMovement.Reason


@transaction.atomic
def count_start(*, actor, warehouse: Warehouse, counted_on: dt.date, items: list[Item] | None = None) -> StockCount:
    """A draft count with one line per lot holding stock, or per lot of the chosen items; counted starts at expected.

    Chosen items bring all their lots in the warehouse, empty ones too: a targeted count is where goods
    believed gone turn up."""
    if counted_on > timezone.localdate():
        raise ValidationError(
            _("A count cannot be dated in the future (%(date)s).") % {"date": day_text(counted_on)},
            code="count_date_in_future",
        )
    lots = StockLot.objects.filter(warehouse=warehouse).select_related("balance").order_by("item__sku", "lot_code")
    if items is None:
        lots = lots.filter(balance__quantity__gt=0)
    else:
        if not items:
            raise ValidationError(
                _("Choose at least one item to count, or leave the choice empty to count every lot."),
                code="count_items_empty",
            )
        lots = lots.filter(item__in=items)
    lots = list(lots)
    if not lots:
        raise ValidationError(
            _("There is nothing to count in %(warehouse)s: no lot holds stock there.") % {"warehouse": warehouse.name}
            if items is None
            else _("The chosen items have no lots in %(warehouse)s.") % {"warehouse": warehouse.name},
            code="count_nothing_to_count",
        )
    count = StockCount.objects.create(warehouse=warehouse, counted_on=counted_on, created_by=actor)
    StockCountLine.objects.bulk_create(
        StockCountLine(count=count, lot=lot, expected=lot.balance.quantity, counted=lot.balance.quantity)
        for lot in lots
    )
    return count


def count_draft_lock(count: StockCount) -> StockCount:
    """The count, locked for the rest of the transaction; refused unless it is still a draft."""
    # Locking the count row makes a second post (or an edit racing a post) wait, then see POSTED and refuse.
    count = StockCount.objects.select_for_update().select_related("warehouse").get(pk=count.pk)
    if count.status != StockCount.Status.DRAFT:
        raise ValidationError(
            _("Count %(number)s was already posted; start a new count to correct it.") % {"number": count.pk},
            code="count_already_posted",
        )
    return count


def counted_clean(value) -> int:
    """A shelf count: a whole number of units, zero or more, and no more than one lot may hold."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            _("Counted units must be a whole number of zero or more; got %(value)s.") % {"value": value},
            code="counted_invalid",
        )
    if value > MAX_UNITS_PER_LOT:
        raise ValidationError(
            _("A lot holds at most %(max)s units; %(value)s counted must be a typing mistake.")
            % {"max": MAX_UNITS_PER_LOT, "value": value},
            code="quantity_too_large",
        )
    return value


def reason_clean(value: str) -> str:
    if value not in Reason.values:
        raise ValidationError(
            _("“%(value)s” is not a reason; use one of: %(reasons)s.")
            % {"value": value, "reasons": ", ".join(Reason.values)},
            code="reason_invalid",
        )
    return value


@transaction.atomic
def count_lines_update(*, actor, count: StockCount, changes: dict[int, tuple[int, str]]) -> int:
    """Record counted units and reasons by line id, all or nothing; returns how many lines changed."""
    count = count_draft_lock(count)
    lines = {line.pk: line for line in count.lines.filter(pk__in=changes)}
    unknown = sorted(set(changes) - set(lines))
    if unknown:
        raise ValidationError(
            _("Lines %(lines)s are not part of count %(number)s.")
            % {"lines": ", ".join(map(str, unknown)), "number": count.pk},
            code="count_lines_unknown",
        )
    changed = []
    for line_id, (counted, reason) in changes.items():
        line = lines[line_id]
        counted, reason = counted_clean(counted), reason_clean(reason)
        if (line.counted, line.reason) != (counted, reason):
            line.counted, line.reason = counted, reason
            changed.append(line)
    StockCountLine.objects.bulk_update(changed, ["counted", "reason"])
    return len(changed)


@dataclass(frozen=True)
class CountDifference:
    line: StockCountLine
    on_hand: int  # what the ledger says now, which may differ from the line's snapshot

    @property
    def difference(self) -> int:
        return self.line.counted - self.on_hand


def count_differences(count: StockCount) -> list[CountDifference]:
    """Lines whose counted units differ from the lot's current balance: the adjustments posting would make."""
    lines = count.lines.select_related("lot__item", "lot__balance").order_by("lot__item__sku", "lot__lot_code")
    differences = [CountDifference(line=line, on_hand=line.lot.balance.quantity) for line in lines]
    return [d for d in differences if d.difference != 0]


@transaction.atomic
def count_post(*, actor, count: StockCount) -> list[StockMovement]:
    """Post one adjustment per line whose counted units differ from the lot's balance now, and close the count."""
    count = count_draft_lock(count)
    lines = list(count.lines.select_related("lot").order_by("lot_id"))
    # Items before balances, as the reservations and the ledger's hold check take them, so they never deadlock.
    list(Item.objects.select_for_update().filter(pk__in={line.lot.item_id for line in lines}).order_by("pk"))
    # Locked in lot order, like every other writer of balances, so concurrent posts queue rather than deadlock.
    balances = dict(
        StockBalance.objects.select_for_update()
        .filter(lot_id__in=[line.lot_id for line in lines])
        .order_by("lot_id")
        .values_list("lot_id", "quantity")
    )
    batch = uuid.uuid4()
    note = _("Stock count %(number)s") % {"number": count.pk}
    movements = []
    for line in lines:
        # Goods may have moved since the snapshot; counted is the shelf now, so the difference is against now.
        line.expected = balances[line.lot_id]
        if line.difference:
            movements.append(
                StockMovement(
                    lot_id=line.lot_id,
                    kind=StockMovement.Kind.ADJUSTMENT,
                    quantity=line.difference,
                    reason=line.reason or Reason.COUNT,
                    batch=batch,
                    note=note,
                    created_by=actor,
                )
            )
    StockCountLine.objects.bulk_update(lines, ["expected"])
    posted = movements_post(movements) if movements else []
    count.status = StockCount.Status.POSTED
    count.posted_at = timezone.now()
    count.save(update_fields=["status", "posted_at"])
    return posted
