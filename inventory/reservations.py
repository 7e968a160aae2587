"""Holding stock for delivery orders: reserve, release, and dispatch at the door.

Items are locked in primary-key order before availability is read, so racing reservations queue on the same
rows in the same order and never oversell (see tests/test_concurrency on PostgreSQL)."""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.ledger import movements_post
from inventory.models import Item, Pack, Reservation, StockMovement
from inventory.selectors import available_by_item, lots_for_picking


class InsufficientStock(Exception):
    """Raised with the shortfall per item; nothing has been reserved when it is raised."""

    def __init__(self, shortages: dict[Item, tuple[int, int]]):
        self.shortages = shortages  # item -> (needed, available)
        parts = [
            _("%(item)s: needs %(needed)s, %(available)s available")
            % {"item": item.label, "needed": needed, "available": available}
            for item, (needed, available) in shortages.items()
        ]
        super().__init__(_("Not enough stock. %(detail)s.") % {"detail": "; ".join(parts)})


def items_lock(item_ids) -> dict[int, Item]:
    # A fixed lock order (pk) means two reservations never wait on each other in a cycle.
    return {item.pk: item for item in Item.objects.select_for_update().filter(pk__in=set(item_ids)).order_by("pk")}


def shortages_of(needed: dict[int, int], available: dict[int, int], items: dict[int, Item]) -> dict:
    return {
        items[item_id]: (quantity, max(available.get(item_id, 0), 0))
        for item_id, quantity in sorted(needed.items())
        if quantity > available.get(item_id, 0)
    }


@transaction.atomic
def order_reserve_stock(*, order, pack_quantities: list[tuple[Pack, int]]) -> list[Reservation]:
    """Reserve what the order's packs need, all or nothing: assembled packs first, then the items to build
    the rest. Raises InsufficientStock when the items fall short."""
    item_ids = set()
    for pack, _quantity in pack_quantities:
        item_ids.update(c.item_id for c in pack.components.all())
        if pack.stock_item_id:
            item_ids.add(pack.stock_item_id)
    items = items_lock(item_ids)
    available = available_by_item(warehouse=order.warehouse, on=order.due_date, items=list(items))

    holds: dict[tuple[int, int], int] = defaultdict(int)  # (item, pack) -> units
    needed: dict[int, int] = defaultdict(int)
    for pack, quantity in pack_quantities:
        ready = min(quantity, max(available.get(pack.stock_item_id, 0), 0)) if pack.stock_item_id else 0
        if ready:
            available[pack.stock_item_id] -= ready
            holds[pack.stock_item_id, pack.pk] += ready
        for component in pack.components.all():
            units = component.quantity * (quantity - ready)
            if units:
                needed[component.item_id] += units
                holds[component.item_id, pack.pk] += units
    shortages = shortages_of(needed, available, items)
    if shortages:
        raise InsufficientStock(shortages)
    return Reservation.objects.bulk_create(
        Reservation(order=order, item_id=item_id, pack_id=pack_id, warehouse=order.warehouse, quantity=units)
        for (item_id, pack_id), units in sorted(holds.items())
    )


@transaction.atomic
def order_release_stock(*, order) -> int:
    """Give back everything the order holds; returns how many reservations were released."""
    return Reservation.objects.filter(order=order, status=Reservation.Status.ACTIVE).update(
        status=Reservation.Status.RELEASED
    )


def fefo_take(*, item_id: int, warehouse, on: dt.date, quantity: int) -> list[tuple]:
    """(lot, units) to take for `quantity` units, first-expiring usable lot first; short if the shelf is."""
    taken = []
    for lot in lots_for_picking(item_id=item_id, warehouse=warehouse, on=on):
        take = min(quantity, lot.on_hand)
        taken.append((lot, take))
        quantity -= take
        if quantity == 0:
            break
    return taken


@transaction.atomic
def order_dispatch_stock(*, actor, order, on: dt.date) -> list[StockMovement]:
    """Take the order's reserved units off the shelf, first-expiring lot first, and consume the reservations."""
    reservations = list(
        Reservation.objects.select_for_update()
        .filter(order=order, status=Reservation.Status.ACTIVE)
        .select_related("item")
        .order_by("pk")
    )
    items_lock([r.item_id for r in reservations])
    movements = []
    for reservation in reservations:
        taken = fefo_take(
            item_id=reservation.item_id, warehouse=reservation.warehouse, on=on, quantity=reservation.quantity
        )
        got = sum(units for _lot, units in taken)
        if got < reservation.quantity:
            # Reservations guarantee the units; getting here means the ledger was changed behind our back.
            raise InsufficientStock({reservation.item: (reservation.quantity, got)})
        movements += [
            StockMovement(lot=lot, kind=StockMovement.Kind.DISPATCH, quantity=-units, order=order, created_by=actor)
            for lot, units in taken
        ]
    movements_post(movements)
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(status=Reservation.Status.CONSUMED)
    return movements
