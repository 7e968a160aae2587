"""Which depot serves an order: the zone's by default (logistics.orders.order_depot); the planner may serve it
from another depot, or bring the stock it lacks over from another depot through the ledger."""

import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.ledger import stock_transfer
from inventory.models import Reservation, Warehouse
from inventory.reservations import InsufficientStock, fefo_take, items_lock, order_reserve_stock
from inventory.selectors import available_by_item
from logistics.lifecycle import AWAITING_STOCK
from logistics.models import DeliveryOrder
from logistics.services import order_reserve

logger = logging.getLogger(__name__)

S = DeliveryOrder.Status
# An order changes depot only before it is on a van: waiting for stock, short, or reserved and not yet planned.
MAY_CHANGE_DEPOT = (*AWAITING_STOCK, S.RESERVED)


def order_items_needed(order: DeliveryOrder) -> dict[int, int]:
    """Units per item id the order's packs are built from (assembled packs counted as their components)."""
    needed: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        for component in line.pack.components.all():
            needed[component.item_id] += component.quantity * line.quantity
    return dict(needed)


def order_shortfall(order: DeliveryOrder, *, at: Warehouse | None = None) -> dict[int, int]:
    """Units per item id the depot (the order's own by default) lacks to cover the order."""
    needed = order_items_needed(order)
    available = available_by_item(warehouse=at or order.warehouse, on=order.due_date, items=list(needed))
    return {
        item_id: units - available.get(item_id, 0)
        for item_id, units in needed.items()
        if units > available.get(item_id, 0)
    }


def depots_with_stock_for(order: DeliveryOrder) -> list[Warehouse]:
    """The other depots whose available stock covers the whole order today, by name."""
    others = Warehouse.objects.exclude(pk=order.warehouse_id).order_by("name")
    return [warehouse for warehouse in others if not order_shortfall(order, at=warehouse)]


def _lock(order: DeliveryOrder) -> DeliveryOrder:
    order = DeliveryOrder.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=order.pk)
    if order.status not in MAY_CHANGE_DEPOT:
        raise ValidationError(
            _("Order %(order)s is “%(status)s”: its depot can no longer change.")
            % {"order": order.pk, "status": order.get_status_display()},
            code="order_not_waiting",
        )
    if order.stops.filter(outcome="pending").exists():  # delivery sits above this app: read through the relation
        raise ValidationError(
            _("Order %(order)s is on a round of the current plan: plan the day again after changing its depot.")
            % {"order": order.pk},
            code="order_on_a_round",
        )
    return order


@transaction.atomic
def order_depot_change(*, actor, order: DeliveryOrder, warehouse: Warehouse) -> DeliveryOrder:
    """Serve the order from `warehouse`: its stock is reserved there and its van leaves from there.

    A reserved order moves only when the new depot covers it (nothing changes otherwise); an order waiting for
    stock moves and is reserved there if it can be."""
    order = _lock(order)
    if warehouse.pk == order.warehouse_id:
        raise ValidationError(
            _("Order %(order)s is already served from %(depot)s.") % {"order": order.pk, "depot": warehouse.name},
            code="same_depot",
        )
    previous = order.warehouse
    order.warehouse = warehouse
    if order.status == S.RESERVED:
        lines = [
            (line.pack, line.quantity)
            for line in order.lines.select_related("pack").prefetch_related("pack__components")
        ]
        Reservation.objects.filter(order=order, status=Reservation.Status.ACTIVE).update(
            status=Reservation.Status.RELEASED
        )
        try:
            with transaction.atomic():
                order_reserve_stock(order=order, pack_quantities=lines)
        except InsufficientStock as exc:
            # Raising rolls the release back too: the order keeps its stock where it was.
            raise ValidationError(
                _("%(depot)s cannot cover order %(order)s: %(detail)s")
                % {"depot": warehouse.name, "order": order.pk, "detail": str(exc)},
                code="depot_short",
            ) from exc
        order.save(update_fields=["warehouse"])
    else:
        order.save(update_fields=["warehouse"])
        order_reserve(order=order)
        order.refresh_from_db(fields=["status"])
    logger.info("%s moved order %s from depot %s to %s", actor, order.pk, previous.pk, warehouse.pk)
    return order


@transaction.atomic
def order_stock_transfer(*, actor, order: DeliveryOrder, source: Warehouse) -> DeliveryOrder:
    """Bring over from `source` what the order's depot lacks for it (first-expiring lots first), through the
    ledger, then reserve the order. Refused, with nothing moved, when `source` cannot spare it all."""
    order = _lock(order)
    if source.pk == order.warehouse_id:
        raise ValidationError(_("A transfer needs a different depot."), code="same_depot")
    shortfall = order_shortfall(order)
    if not shortfall:
        raise ValidationError(
            _("%(depot)s already has the stock for order %(order)s.")
            % {"depot": order.warehouse.name, "order": order.pk},
            code="nothing_short",
        )
    items = items_lock(shortfall)  # the source's availability must not change between reading and moving
    spare = available_by_item(warehouse=source, on=order.due_date, items=list(items))
    lacking = [items[item_id].label for item_id, units in sorted(shortfall.items()) if spare.get(item_id, 0) < units]
    if lacking:
        raise ValidationError(
            _("%(depot)s cannot spare enough of: %(items)s.") % {"depot": source.name, "items": ", ".join(lacking)},
            code="source_short",
        )
    note = _("For order %(order)s") % {"order": order.pk}
    for item_id, units in sorted(shortfall.items()):
        for lot, take in fefo_take(item_id=item_id, warehouse=source, on=order.due_date, quantity=units):
            stock_transfer(actor=actor, lot=lot, to=order.warehouse, quantity=take, note=note)
    if order.status != S.RESERVED:
        order_reserve(order=order)
        order.refresh_from_db(fields=["status"])
    logger.info("%s brought stock for order %s from depot %s to %s", actor, order.pk, source.pk, order.warehouse_id)
    return order


def short_orders_elsewhere(orders: list[DeliveryOrder]) -> dict[int, list[Warehouse]]:
    """For each short order, the other depots that could serve it whole (the board offers both fixes)."""
    return {order.pk: depots for order in orders if (depots := depots_with_stock_for(order))}
