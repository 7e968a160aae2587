"""What an order waiting for stock lacks, by item, and sending the part of it that is in stock.

"Not enough stock" alone does not tell the planner what to buy, and one missing tin of formula should not hold back
the food and hygiene packs of the same order: `orders_shortages` names each short item with what the order needs
and what is free, and `order_send_what_is_there` splits the order, the packs in stock going now and the rest owed
on an order of its own, which is reserved as soon as its stock comes in."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.models import Item
from inventory.reservations import items_lock
from inventory.selectors import available_by_item
from logistics.depots import order_items_needed
from logistics.lifecycle import AWAITING_STOCK
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.services import order_reserve

logger = logging.getLogger(__name__)

# Only an order that waits for stock and is on no round can be split: a reserved one goes whole.
MAY_SPLIT = (DeliveryOrder.Status.SHORT, DeliveryOrder.Status.PENDING)


@dataclass(frozen=True)
class Shortage:
    item: str
    needed: int
    available: int


def orders_shortages(orders: list[DeliveryOrder], *, on: dt.date) -> dict[int, list[Shortage]]:
    """For each order, the items its depot lacks to build all of its packs on `on`: what it needs, what is free.

    Pass orders with `lines__pack__components` prefetched; one read of the stock per depot, whatever the number
    of orders. An order holding its stock lacks nothing: its own holds are not counted against it."""
    result: dict[int, list[Shortage]] = {order.pk: [] for order in orders}
    waiting = [order for order in orders if order.status in AWAITING_STOCK]
    needs = {order.pk: order_items_needed(order) for order in waiting}
    by_depot: dict[int, set[int]] = defaultdict(set)
    for order in waiting:
        by_depot[order.warehouse_id].update(needs[order.pk])
    free = {
        depot_id: available_by_item(warehouse=depot_id, on=on, items=list(item_ids))
        for depot_id, item_ids in by_depot.items()
    }
    item_ids = {item_id for ids in by_depot.values() for item_id in ids}
    labels = {item.pk: item.label for item in Item.objects.filter(pk__in=item_ids)}
    for order in waiting:
        available = free[order.warehouse_id]
        result[order.pk] = [
            Shortage(labels[item_id], units, max(available.get(item_id, 0), 0))
            for item_id, units in sorted(needs[order.pk].items())
            if units > available.get(item_id, 0)
        ]
    return result


def _split(lines: list[DeliveryOrderLine], available: dict[int, int]) -> list[tuple[DeliveryOrderLine, int]]:
    """How many of each line's packs the free stock builds, lines in their order: the first lines are served first."""
    available = dict(available)
    served = []
    for line in lines:
        components = list(line.pack.components.all())
        count = line.quantity
        for component in components:
            count = min(count, max(available.get(component.item_id, 0), 0) // component.quantity)
        for component in components:
            available[component.item_id] = available.get(component.item_id, 0) - component.quantity * count
        served.append((line, count))
    return served


@transaction.atomic
def order_send_what_is_there(*, actor, order: DeliveryOrder) -> DeliveryOrder | None:
    """Reserve and send the order's packs that are in stock; the rest moves to a new order, owed, for the same day.

    Returns the owed order, or None when all of it was in stock after all (then it is simply reserved). Refuses,
    changing nothing, an order not waiting for stock, on a round, or with nothing in stock to send."""
    order = DeliveryOrder.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=order.pk)
    if order.status not in MAY_SPLIT:
        raise ValidationError(
            _("Order %(order)s is “%(status)s”: only an order waiting for stock is split.")
            % {"order": order.pk, "status": order.get_status_display()},
            code="order_not_short",
        )
    lines = list(order.lines.select_related("pack").prefetch_related("pack__components").order_by("pk"))
    items = items_lock(order_items_needed(order))
    available = available_by_item(warehouse=order.warehouse, on=order.due_date, items=list(items))
    served = _split(lines, available)
    if not any(count for _line, count in served):
        raise ValidationError(
            _("Nothing of order %(order)s is in stock at %(depot)s: there is nothing to send yet.")
            % {"order": order.pk, "depot": order.warehouse.name},
            code="nothing_in_stock",
        )
    if all(count == line.quantity for line, count in served):
        order_reserve(order=order)
        return None
    owed = DeliveryOrder.objects.create(
        plan_id=order.plan_id,
        household_id=order.household_id,
        warehouse=order.warehouse,
        due_date=order.due_date,
        priority=order.priority,
        window_start=order.window_start,
        window_end=order.window_end,
        mode=order.mode,
        flex_days=order.flex_days,
        notes=(_("Owed from order %(order)s.") % {"order": order.pk})[:300],
    )
    DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=owed, pack=line.pack, quantity=line.quantity - count)
        for line, count in served
        if count < line.quantity
    )
    for line, count in served:
        if count == 0:
            line.delete()
        elif count < line.quantity:
            line.quantity = count
            line.save(update_fields=["quantity"])
    order._change_reason = f"split: what was short moved to order {owed.pk}"
    if order_reserve(order=order) is not True:
        # The free stock was counted under the items' locks, so this cannot happen unless the ledger moved behind
        # them; nothing of the split is kept.
        raise ValidationError(
            _("The stock of order %(order)s changed while it was split; nothing was changed.") % {"order": order.pk},
            code="stock_changed",
        )
    order_reserve(order=owed)
    logger.info("%s split order %s: the short packs are owed on order %s", actor, order.pk, owed.pk)
    return owed
