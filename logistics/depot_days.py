"""Serve a day's orders from another depot: a depot closed for a day (a breakdown, a strike, a flood), or one depot
taking a zone for a day. Each order moves through the one per-order path (logistics.depots.order_depot_change);
this module picks the orders, locks them, and makes the whole day move or none of it."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.dates import day_text
from inventory.models import Item, PackComponent, Warehouse
from inventory.reservations import InsufficientStock, items_lock
from inventory.selectors import available_by_item
from logistics.depots import MAY_CHANGE_DEPOT, order_depot_change
from logistics.lifecycle import AWAITING_STOCK
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import Zone
from requests_intake.zone_access import in_zones, zone_open_to

logger = logging.getLogger(__name__)

PERMISSION = "routing.plan_rounds"  # who plans the day (the per-order depot form asks the same)


@dataclass(frozen=True)
class DayMove:
    """What moved: the orders (now at the new depot) and those among them still waiting for stock there."""

    moved: list[DeliveryOrder]
    waiting: list[DeliveryOrder]

    @property
    def count(self) -> int:
        return len(self.moved)


def orders_served_from(*, actor, date: dt.date, depot: Warehouse, zone: Zone | None = None) -> QuerySet[DeliveryOrder]:
    """The day's orders `depot` serves whose depot may still change (not planned, delivered nor cancelled), of the
    zones the actor sees; only `zone`'s when given. The confirmation counts these; the move takes them."""
    orders = DeliveryOrder.objects.filter(due_date=date, warehouse=depot, status__in=MAY_CHANGE_DEPOT)
    if zone is not None:
        orders = orders.filter(household__zone=zone)
    return in_zones(orders, actor, field="household__zone")


def depot_day_check(*, actor, from_depot: Warehouse, to_depot: Warehouse, zone: Zone | None = None) -> None:
    """Refuse, with a code, a day move the actor may not make or that names no real change."""
    if not actor.has_perm(PERMISSION) or (zone is not None and not zone_open_to(actor, zone.pk)):
        raise ValidationError(_("You may not change the depot of these orders."), code="depot_day_not_allowed")
    known = set(Warehouse.objects.filter(pk__in=[from_depot.pk, to_depot.pk]).values_list("pk", flat=True))
    for depot in (from_depot, to_depot):
        if depot.pk not in known:
            raise ValidationError(
                _("There is no depot “%(depot)s”: choose one of the list.") % {"depot": depot}, code="unknown_depot"
            )
    if from_depot.pk == to_depot.pk:
        raise ValidationError(
            _("The orders are already served from %(depot)s: choose another depot.") % {"depot": to_depot.name},
            code="same_depot",
        )


def _items_of(orders: list[DeliveryOrder]) -> set[int]:
    """The items the orders' packs take: their components, and the assembled pack itself where one is stocked."""
    lines = DeliveryOrderLine.objects.filter(order__in=orders).values_list("pack_id", "pack__stock_item_id")
    packs = {pack_id for pack_id, _stock_item in lines}
    ids = {stock_item for _pack, stock_item in lines if stock_item}
    return ids | set(PackComponent.objects.filter(pack__in=packs).values_list("item_id", flat=True))


@transaction.atomic
def orders_serve_from(
    *, actor, date: dt.date, from_depot: Warehouse, to_depot: Warehouse, zone: Zone | None = None
) -> DayMove:
    """Serve every open, unplanned order of `date` that `from_depot` serves (of `zone` only, when given) from
    `to_depot`: all of them or, refused with a code, none."""
    depot_day_check(actor=actor, from_depot=from_depot, to_depot=to_depot, zone=zone)
    # Locked in pk order, the way the per-order path locks one. A second planner moving the same day waits here and
    # then, PostgreSQL re-reading the locked rows, finds them at the new depot: no order moves twice.
    orders = list(
        orders_served_from(actor=actor, date=date, depot=from_depot, zone=zone)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not orders:
        raise ValidationError(
            _("No order due %(date)s waits at %(depot)s: nothing was moved.")
            % {"date": day_text(date), "depot": from_depot.name},
            code="no_orders",
        )
    # Every item the day needs, locked once in pk order before any order moves: the per-order path locks each
    # order's items in turn, and two day moves the other way round would otherwise wait on each other forever.
    items = items_lock(_items_of(orders))
    # Orders already holding stock first: an order still waiting must not take what a reserved one needs there.
    orders.sort(key=lambda order: (order.status in AWAITING_STOCK, order.priority, order.pk))
    moved: list[DeliveryOrder] = []
    refused: dict[str, list[ValidationError]] = defaultdict(list)
    lacking: dict[int, int] = defaultdict(int)  # item id -> units the refused orders need
    refused_orders: list[int] = []
    for order in orders:
        try:
            with transaction.atomic():
                moved.append(order_depot_change(actor=actor, order=order, warehouse=to_depot))
        except ValidationError as refusal:
            # Each refusal is collected so the planner hears all of them at once; raising below undoes every move.
            refused[refusal.code or "refused"].append(refusal)
            refused_orders.append(order.pk)
            if isinstance(refusal.__cause__, InsufficientStock):
                for item, (needed, _available) in refusal.__cause__.shortages.items():
                    lacking[item.pk] += needed
    if refused:
        _refuse(refused, sorted(refused_orders), lacking, items, to_depot=to_depot, date=date)
    waiting = [order for order in moved if order.status in AWAITING_STOCK]
    logger.info(
        "%s served %s orders due %s from depot %s instead of %s (zone %s)",
        actor,
        len(moved),
        date,
        to_depot.pk,
        from_depot.pk,
        zone.pk if zone else "any",
    )
    return DayMove(moved=sorted(moved, key=lambda order: order.pk), waiting=sorted(waiting, key=lambda o: o.pk))


def _refuse(
    refused: dict[str, list[ValidationError]],
    order_ids: list[int],
    lacking: dict[int, int],
    items: dict[int, Item],
    *,
    to_depot: Warehouse,
    date: dt.date,
) -> None:
    """All or nothing, the house rule for bulk actions: a half-moved day leaves the planner hunting which orders
    stayed at a closed depot, and the stock they held there released or not. So a day the new depot cannot take
    whole is refused, naming the orders and the units it lacks, for the planner to bring the stock over (or move
    those orders one by one) and move the day again."""
    if "depot_short" in refused:
        # What is left at the new depot once the orders that fit moved, against what the refused ones need.
        left = available_by_item(warehouse=to_depot, on=date, items=list(lacking))
        short = {
            items[item_id]: units - max(left.get(item_id, 0), 0)
            for item_id, units in sorted(lacking.items())
            if units > left.get(item_id, 0)
        }
        raise ValidationError(
            _("%(depot)s lacks %(items)s for orders %(orders)s; nothing was moved."),
            code="depot_short",
            params={
                "depot": to_depot.name,
                "items": ", ".join(f"{units} × {item.label}" for item, units in short.items()),
                "orders": ", ".join(str(pk) for pk in order_ids),
                "order_ids": order_ids,
                "units_lacking": {item.pk: units for item, units in short.items()},
            },
        )
    raise ValidationError(
        _("%(reason)s Nothing was moved."),
        code=next(iter(refused)),
        params={
            "reason": " ".join(m for errors in refused.values() for e in errors for m in e.messages),
            "order_ids": order_ids,
        },
    )
