"""Reading stock. "Available" is defined here and nowhere else: usable on hand minus active reservations."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from inventory.models import Item, Pack, Reservation, StockLot, Warehouse


def usable_lots_q(on: dt.date) -> Q:
    """Lots that may still be handed out on the given day: no expiry date, or not expired yet."""
    return Q(expiry_date__isnull=True) | Q(expiry_date__gte=on)


def default_warehouse() -> Warehouse | None:
    """The warehouse new orders are stocked from and forms start at when nothing else says: the first created.

    The one place this is decided; None when there is no warehouse yet."""
    return Warehouse.objects.order_by("pk").first()


def on_hand_by_item(*, warehouse: Warehouse, on: dt.date | None = None, items=None) -> dict[int, int]:
    """Units on the shelf per item id (the balances kept from the ledger); with `on`, only lots usable that day."""
    lots = StockLot.objects.filter(warehouse=warehouse, balance__quantity__gt=0)
    if on is not None:
        lots = lots.filter(usable_lots_q(on))
    if items is not None:
        lots = lots.filter(item__in=items)
    rows = lots.values("item_id").annotate(total=Sum("balance__quantity"))
    return {row["item_id"]: row["total"] for row in rows}


def reserved_by_item(*, warehouse: Warehouse, items=None) -> dict[int, int]:
    reservations = Reservation.objects.filter(warehouse=warehouse, status=Reservation.Status.ACTIVE)
    if items is not None:
        reservations = reservations.filter(item__in=items)
    rows = reservations.values("item_id").annotate(total=Sum("quantity"))
    return {row["item_id"]: row["total"] for row in rows}


def available_by_item(*, warehouse: Warehouse, on: dt.date, items=None) -> dict[int, int]:
    on_hand = on_hand_by_item(warehouse=warehouse, on=on, items=items)
    reserved = reserved_by_item(warehouse=warehouse, items=items)
    return {item_id: on_hand.get(item_id, 0) - reserved.get(item_id, 0) for item_id in on_hand.keys() | reserved.keys()}


def pack_sizes(packs) -> dict[int, tuple[int, int]]:
    """Grams and centilitres of one of each pack, from its items; integers keep the solver exact.

    Pass packs with `components__item` prefetched."""
    sizes = {}
    for pack in packs:
        weight = sum((c.item.weight_kg * c.quantity for c in pack.components.all()), Decimal(0))
        volume = sum((c.item.volume_l * c.quantity for c in pack.components.all()), Decimal(0))
        sizes[pack.pk] = (int(weight * 1000), int(volume * 100))
    return sizes


def stock_overview(*, warehouse: Warehouse) -> list[dict]:
    """Per item: on hand, expired, reserved, available, and the lots holding it (first to expire first)."""
    today = timezone.localdate()
    on_hand = on_hand_by_item(warehouse=warehouse)
    usable = on_hand_by_item(warehouse=warehouse, on=today)
    reserved = reserved_by_item(warehouse=warehouse)
    lots: dict[int, list[StockLot]] = defaultdict(list)
    for lot in (
        StockLot.objects.filter(warehouse=warehouse, balance__quantity__gt=0)
        .annotate(on_hand=F("balance__quantity"))
        .select_related("location")
        .order_by(F("expiry_date").asc(nulls_last=True), "pk")
    ):
        lot.expired = lot.expiry_date is not None and lot.expiry_date < today
        lots[lot.item_id].append(lot)
    return [
        {
            "item": item,
            "on_hand": on_hand.get(item.pk, 0),
            "expired": on_hand.get(item.pk, 0) - usable.get(item.pk, 0),
            "reserved": reserved.get(item.pk, 0),
            "available": usable.get(item.pk, 0) - reserved.get(item.pk, 0),
            "lots": lots[item.pk],
        }
        for item in Item.objects.order_by("category", "sku")
    ]


def lots_for_picking(*, item_id: int, warehouse: Warehouse, on: dt.date) -> QuerySet[StockLot]:
    """Usable lots of one item, first expiring first (lots without expiry last)."""
    return (
        StockLot.objects.filter(usable_lots_q(on), item_id=item_id, warehouse=warehouse, balance__quantity__gt=0)
        .annotate(on_hand=F("balance__quantity"))
        .select_related("location")
        .order_by(F("expiry_date").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class HeldBeyondStock:
    warehouse: Warehouse
    item: Item
    held: int
    usable: int


def holds_beyond_stock(*, on: dt.date) -> list[HeldBeyondStock]:
    """Every depot and item whose active holds exceed its units on the shelf still usable on `on`: those orders
    cannot all be delivered."""
    held = {
        (row["warehouse_id"], row["item_id"]): row["total"]
        for row in Reservation.objects.filter(status=Reservation.Status.ACTIVE)
        .values("warehouse_id", "item_id")
        .annotate(total=Sum("quantity"))
    }
    usable = {
        (row["warehouse_id"], row["item_id"]): row["total"]
        for row in StockLot.objects.filter(usable_lots_q(on), balance__quantity__gt=0)
        .values("warehouse_id", "item_id")
        .annotate(total=Sum("balance__quantity"))
    }
    beyond = sorted(key for key, units in held.items() if units > usable.get(key, 0))
    warehouses = Warehouse.objects.in_bulk({warehouse_id for warehouse_id, _item_id in beyond})
    items = Item.objects.in_bulk({item_id for _warehouse_id, item_id in beyond})
    return [
        HeldBeyondStock(
            warehouses[warehouse_id],
            items[item_id],
            held[warehouse_id, item_id],
            usable.get((warehouse_id, item_id), 0),
        )
        for warehouse_id, item_id in beyond
    ]


@dataclass(frozen=True)
class HeldBeyondLine:
    order_id: int
    pack: Pack
    held: int  # packs: assembled ones held plus the packs the held items make
    ordered: int


def holds_beyond_lines() -> list[HeldBeyondLine]:
    """Every order line (order and pack) whose active holds come to more packs than the line asks for."""
    DeliveryOrderLine = apps.get_model("logistics", "DeliveryOrderLine")  # noqa: N806 - a model class
    units: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (order, pack) -> item -> units held
    for row in (
        Reservation.objects.filter(status=Reservation.Status.ACTIVE, pack__isnull=False)
        .values("order_id", "pack_id", "item_id")
        .annotate(total=Sum("quantity"))
    ):
        units[row["order_id"], row["pack_id"]][row["item_id"]] = row["total"]
    if not units:
        return []
    packs = Pack.objects.prefetch_related("components").in_bulk({pack_id for _order_id, pack_id in units})
    ordered: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        DeliveryOrderLine.objects.filter(order_id__in={order_id for order_id, _pack_id in units})
        .values("order_id", "pack_id")
        .annotate(total=Sum("quantity"))
    ):
        ordered[row["order_id"], row["pack_id"]] = row["total"]
    beyond = []
    for (order_id, pack_id), by_item in sorted(units.items()):
        pack = packs[pack_id]
        # Units per pack of each component, rounded up: 3 rice held for a pack of 2 rice is two packs' worth.
        loose = max(
            (
                -(-by_item.get(c.item_id, 0) // c.quantity)
                for c in pack.components.all()
                if c.item_id != pack.stock_item_id
            ),
            default=0,
        )
        held = by_item.get(pack.stock_item_id, 0) + loose if pack.stock_item_id else loose
        if held > ordered[order_id, pack_id]:
            beyond.append(HeldBeyondLine(order_id, pack, held, ordered[order_id, pack_id]))
    return beyond
