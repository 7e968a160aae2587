"""Changing stock. Every change is a ledger movement inside a transaction; items are locked in pk order."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Item, Pack, Reservation, StockLot, StockMovement, Warehouse
from inventory.selectors import available_by_item, items_needed, lots_for_picking


class InsufficientStock(Exception):
    """Raised with the shortfall per item; nothing has been reserved when it is raised."""

    def __init__(self, shortages: dict[Item, tuple[int, int]]):
        self.shortages = shortages  # item -> (needed, available)
        parts = [
            _("%(item)s: needs %(needed)s, %(available)s available")
            % {"item": item.name, "needed": needed, "available": available}
            for item, (needed, available) in shortages.items()
        ]
        super().__init__(_("Not enough stock. %(detail)s.") % {"detail": "; ".join(parts)})


def _lock_items(item_ids) -> dict[int, Item]:
    # A fixed lock order (pk) means two reservations never wait on each other in a cycle.
    return {item.pk: item for item in Item.objects.select_for_update().filter(pk__in=item_ids).order_by("pk")}


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
) -> StockLot:
    """Put a new lot on the shelf with a receipt movement."""
    if quantity <= 0:
        raise ValueError(_("A receipt must bring at least one unit; got %(quantity)s.") % {"quantity": quantity})
    lot = StockLot.objects.create(
        item=item,
        warehouse=warehouse,
        lot_code=lot_code,
        expiry_date=expiry_date,
        received_on=received_on or timezone.localdate(),
    )
    StockMovement.objects.create(lot=lot, kind=StockMovement.Kind.RECEIPT, quantity=quantity, created_by=actor)
    return lot


@transaction.atomic
def order_reserve_stock(*, order, pack_quantities: list[tuple[Pack, int]]) -> list[Reservation]:
    """Reserve every item the order's packs need, all or nothing; raise InsufficientStock otherwise."""
    needed = items_needed(pack_quantities)
    items = _lock_items(needed)
    available = available_by_item(warehouse=order.warehouse, on=order.due_date, items=list(items))
    shortages = {
        items[item_id]: (quantity, max(available.get(item_id, 0), 0))
        for item_id, quantity in sorted(needed.items())
        if quantity > available.get(item_id, 0)
    }
    if shortages:
        raise InsufficientStock(shortages)
    return Reservation.objects.bulk_create(
        Reservation(order=order, item_id=item_id, warehouse=order.warehouse, quantity=quantity)
        for item_id, quantity in sorted(needed.items())
    )


@transaction.atomic
def order_release_stock(*, order) -> int:
    """Give back everything the order holds; returns how many reservations were released."""
    return Reservation.objects.filter(order=order, status=Reservation.Status.ACTIVE).update(
        status=Reservation.Status.RELEASED
    )


@transaction.atomic
def order_dispatch_stock(*, actor, order, on: dt.date) -> list[StockMovement]:
    """Take the order's reserved items off the shelf, first-expiring lot first, and consume the reservations."""
    reservations = list(
        Reservation.objects.select_for_update().filter(order=order, status=Reservation.Status.ACTIVE).order_by("pk")
    )
    _lock_items([r.item_id for r in reservations])
    movements = []
    for reservation in reservations:
        remaining = reservation.quantity
        for lot in lots_for_picking(item_id=reservation.item_id, warehouse=reservation.warehouse, on=on):
            take = min(remaining, lot.on_hand)
            movements.append(
                StockMovement(lot=lot, kind=StockMovement.Kind.DISPATCH, quantity=-take, order=order, created_by=actor)
            )
            remaining -= take
            if remaining == 0:
                break
        if remaining:
            # Reservations guarantee the units; getting here means the ledger was changed behind our back.
            raise InsufficientStock({reservation.item: (reservation.quantity, reservation.quantity - remaining)})
    StockMovement.objects.bulk_create(movements)
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(status=Reservation.Status.CONSUMED)
    return movements
