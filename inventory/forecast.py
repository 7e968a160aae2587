"""The demand forecast: what each item will need per day, what the shelf and open purchase orders supply, and when
it runs out.

Rules, so the figures can be checked by hand:
- Day 0 is today. Open delivery orders (pending, short, reserved, planned, out for delivery, rescheduled) due
  before today are still owed and count as demand today.
- Recurring aid plans (approved request, `repeat_every_days`, not paused) add an occurrence every
  `repeat_every_days` from `first_delivery_on`, up to `repeat_until` and `valid_until`, but only after the plan's
  last existing order (of any status): an occurrence that already has an order is counted once, through the
  order. A line with `every_nth` rides only every nth delivery (`requests_intake/recurrence.py`, shared with
  the job that makes the orders). They go to the warehouse of that last
  order (the first warehouse when the plan has none yet).
- Demand is in item units: packs are exploded with `PackComponent`. Assembled packs on the shelf (a pack's
  `stock_item`) are supply of that pack's items: one assembled pack counts as one of each component, in component
  units, keeping its lot's expiry date. This ignores that a pack cannot be split; assembled-pack items themselves
  get no row of their own.
- Supply is the usable on hand today (lots not expired) plus open purchase order lines (sent or partly received),
  their outstanding units arriving on `expected_on` (late ones today; without a date, one supplier lead time from
  today). Goods arriving are assumed not to expire. Reservations are not taken off the supply: the orders they
  hold stock for are already counted as demand.
- Each day's demand takes the first-expiring lot first. A lot expiring on day d serves day d and leaves the
  supply at the end of it with whatever it still holds (those units are "expiring unused"). Demand the supply
  cannot meet stays owed and is served by the next goods that arrive, so projected on hand can go below zero.

Reorder point = demand over the lead time of the preferred supplier (7 days without one) + safety stock.
Suggested quantity = demand over lead time + review period (14 days) + safety stock − (on hand + goods arriving in
that window − units expiring unused in it), i.e. safety stock − projected on hand at the end of that window,
never below zero (everything is in whole units, so there is nothing left to round up).

Everything is read with a handful of aggregate queries; the projection itself runs in Python.
"""

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Item, PackComponent, PurchaseOrder, PurchaseOrderLine, StockLot, Warehouse
from inventory.purchasing import po_create
from inventory.selectors import default_warehouse, usable_lots_q
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan, AidPlanLine, AidRequest
from requests_intake.recurrence import lines_on, plan_occurrences

HORIZON_DAYS = 28
REVIEW_DAYS = 14
DEFAULT_LEAD_TIME_DAYS = 7
MAX_HORIZON_DAYS = 366

OPEN_ORDER_STATUSES = (
    DeliveryOrder.Status.PENDING,
    DeliveryOrder.Status.SHORT,
    DeliveryOrder.Status.RESERVED,
    DeliveryOrder.Status.PLANNED,
    DeliveryOrder.Status.OUT_FOR_DELIVERY,
    DeliveryOrder.Status.RESCHEDULED,
)
INCOMING_PO_STATUSES = (PurchaseOrder.Status.SENT, PurchaseOrder.Status.PARTLY_RECEIVED)


@dataclass(frozen=True)
class ExpiringLot:
    """Units of a lot still on the shelf when it expires, because demand before then does not use them."""

    lot_id: int
    lot_code: str
    item_id: int
    warehouse_id: int
    expiry_date: dt.date
    units: int


@dataclass(frozen=True)
class ItemForecast:
    """One item at one warehouse; the per-day tuples line up with `days`."""

    item: Item
    warehouse: Warehouse
    days: tuple[dt.date, ...]
    on_hand: int
    demand: tuple[int, ...]
    incoming: tuple[int, ...]
    expiring: tuple[int, ...]  # units leaving the supply that day because their lot expires
    projected: tuple[int, ...]  # on hand at the end of each day
    lead_time_days: int
    reorder_point: int
    suggested_quantity: int
    runs_out_on: dt.date | None
    days_of_cover: float | None  # on hand / average daily demand over the horizon; None without demand
    expiring_unused: tuple[ExpiringLot, ...]

    @property
    def demand_next_7(self) -> int:
        return sum(self.demand[:7])

    @property
    def demand_total(self) -> int:
        return sum(self.demand)

    @property
    def shortfall(self) -> int:
        """The most units missing on any day of the horizon."""
        return max(0, -min(self.projected))


@dataclass(frozen=True)
class Forecast:
    today: dt.date
    days: tuple[dt.date, ...]
    rows: tuple[ItemForecast, ...]

    def row(self, *, item_id: int, warehouse_id: int) -> ItemForecast | None:
        for row in self.rows:
            if row.item.pk == item_id and row.warehouse.pk == warehouse_id:
                return row
        return None

    @property
    def expiring_unused(self) -> list[ExpiringLot]:
        return sorted((lot for row in self.rows for lot in row.expiring_unused), key=lambda lot: lot.expiry_date)


class _Lot:
    __slots__ = ("expiry_index", "remaining", "source")

    def __init__(self, expiry_index: int | None, remaining: int, source: tuple | None):
        self.expiry_index = expiry_index
        self.remaining = remaining
        self.source = source  # (lot id, lot code, expiry date) for lots on the shelf; None for goods to come


def _project(lots: list[_Lot], demand: list[int], incoming: list[int]) -> tuple[list[int], list[int], list[tuple]]:
    """Day by day, first-expiring-first-out: projected on hand, units expiring, and (lot source, unused units)."""
    span = len(demand)
    queue = deque(sorted(lots, key=lambda lot: (lot.expiry_index is None, lot.expiry_index or 0, lot.source)))
    total = sum(lot.remaining for lot in queue)
    owed = 0
    projected, expiring, unused = [0] * span, [0] * span, []
    for day in range(span):
        if incoming[day]:
            queue.append(_Lot(None, incoming[day], None))  # undated, so it goes after every dated lot
            total += incoming[day]
        need = demand[day] + owed
        while need and queue:
            lot = queue[0]
            take = min(need, lot.remaining)
            lot.remaining -= take
            total -= take
            need -= take
            if lot.remaining == 0:
                queue.popleft()
        owed = need
        # Lots expiring earlier are gone and the queue is sorted by expiry, so today's expiring lots lead it.
        while queue and queue[0].expiry_index == day:
            lot = queue.popleft()
            expiring[day] += lot.remaining
            total -= lot.remaining
            unused.append((lot.source, lot.remaining))
        projected[day] = total - owed
    return projected, expiring, unused


def _recurring_plans_q(*, today: dt.date, last_day: dt.date, prefix: str = "") -> Q:
    """Plans of approved requests that repeat and still have occurrences between today and `last_day`."""
    return (
        Q(
            **{
                f"{prefix}repeat_every_days__gt": 0,
                f"{prefix}request__status": AidRequest.Status.APPROVED,
                f"{prefix}first_delivery_on__lte": last_day,
                f"{prefix}paused_at__isnull": True,
            }
        )
        & (Q(**{f"{prefix}repeat_until__isnull": True}) | Q(**{f"{prefix}repeat_until__gte": today}))
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}))
    )


def _plan_lines(wanted: set[int] | None, components: dict) -> QuerySet:
    lines = AidPlanLine.objects.all()
    return lines if wanted is None else lines.filter(pack_id__in=components)


def _item_ids(items: Iterable[Item | int] | None) -> set[int] | None:
    if items is None:
        return None
    return {item if isinstance(item, int) else item.pk for item in items}


def forecast(
    *,
    today: dt.date | None = None,
    horizon_days: int = HORIZON_DAYS,
    warehouse: Warehouse | None = None,
    items: Iterable[Item | int] | None = None,
) -> Forecast:
    """Projected demand, supply and on hand per item and warehouse for `horizon_days` days from today.

    Rows exist for every item with stock, demand or goods on order at a warehouse; `warehouse` and `items` narrow
    the result (and the queries)."""
    if not isinstance(horizon_days, int) or not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValidationError(
            _("The forecast horizon must be between 1 and %(max)s days; got %(days)s.")
            % {"max": MAX_HORIZON_DAYS, "days": horizon_days},
            code="horizon_out_of_range",
        )
    today = today or timezone.localdate()
    wanted = _item_ids(items)

    # Kit items (assembled packs) are converted into their components, so they get no row of their own.
    item_rows = Item.objects.select_related("preferred_supplier").filter(assembled_pack__isnull=True)
    if wanted is not None:
        item_rows = item_rows.filter(pk__in=wanted)
    catalogue = {item.pk: item for item in item_rows}
    lead_times = {
        pk: item.preferred_supplier.lead_time_days if item.preferred_supplier else DEFAULT_LEAD_TIME_DAYS
        for pk, item in catalogue.items()
    }
    # Simulate far enough for the suggested quantity of the slowest supplier; report only the horizon.
    span = max([horizon_days, *(lead + REVIEW_DAYS for lead in lead_times.values())])
    last_day = today + dt.timedelta(days=span - 1)

    components: dict[int, list[tuple[int, int]]] = defaultdict(list)  # pack -> [(item, units per pack)]
    kit_packs: dict[int, int] = {}  # kit item -> its pack
    bill = PackComponent.objects.all() if wanted is None else PackComponent.objects.filter(item_id__in=catalogue)
    for pack_id, kit_item_id, item_id, quantity in bill.values_list(
        "pack_id", "pack__stock_item_id", "item_id", "quantity"
    ):
        components[pack_id].append((item_id, quantity))
        if kit_item_id:
            kit_packs[kit_item_id] = pack_id

    # Pack units owed per (warehouse, day index, pack), from orders and from plan occurrences without one.
    pack_demand: dict[tuple[int, int, int], int] = defaultdict(int)
    order_lines = DeliveryOrderLine.objects.filter(order__status__in=OPEN_ORDER_STATUSES, order__due_date__lte=last_day)
    if wanted is not None:
        order_lines = order_lines.filter(pack_id__in=components)
    if warehouse is not None:
        order_lines = order_lines.filter(order__warehouse=warehouse)
    for warehouse_id, due, pack_id, units in (
        order_lines.order_by()
        .values_list("order__warehouse_id", "order__due_date", "pack_id")
        .annotate(units=Sum("quantity"))
    ):
        pack_demand[warehouse_id, max(0, (due - today).days), pack_id] += units

    last_order = DeliveryOrder.objects.filter(plan=OuterRef("pk")).order_by("-due_date", "-pk")
    plans = (
        AidPlan.objects.filter(_recurring_plans_q(today=today, last_day=last_day))
        .annotate(last_due=Max("orders__due_date"), last_warehouse=Subquery(last_order.values("warehouse_id")[:1]))
        .prefetch_related(Prefetch("lines", queryset=_plan_lines(wanted, components)))
    )
    first_warehouse = None
    for plan in plans:
        warehouse_id = plan.last_warehouse
        if warehouse_id is None:
            # Its next order goes where order_create_for_plan sends new orders (logistics.orders.order_depot).
            first_warehouse = first_warehouse or default_warehouse()
            warehouse_id = first_warehouse.pk if first_warehouse else None
        if warehouse is not None and warehouse_id != warehouse.pk:
            continue
        after = max(today - dt.timedelta(days=1), plan.last_due or plan.first_delivery_on - dt.timedelta(days=1))
        for occurrence in plan_occurrences(plan, after=after, until=last_day):
            for line in lines_on(plan, plan.lines.all(), occurrence):
                pack_demand[warehouse_id, (occurrence - today).days, line.pack_id] += line.quantity

    demand: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * span)
    for (warehouse_id, day, pack_id), units in pack_demand.items():
        for item_id, per_pack in components[pack_id]:
            demand[item_id, warehouse_id][day] += per_pack * units

    lots: dict[tuple[int, int], list[_Lot]] = defaultdict(list)
    shelf = StockLot.objects.filter(usable_lots_q(today), balance__quantity__gt=0)
    if wanted is not None:
        shelf = shelf.filter(Q(item_id__in=catalogue) | Q(item_id__in=kit_packs))
    if warehouse is not None:
        shelf = shelf.filter(warehouse=warehouse)
    for lot_id, item_id, warehouse_id, expiry, code, units in shelf.values_list(
        "pk", "item_id", "warehouse_id", "expiry_date", "lot_code", "balance__quantity"
    ):
        expiry_index = (expiry - today).days if expiry else None
        if item_id in kit_packs:
            for component_id, per_pack in components[kit_packs[item_id]]:
                lots[component_id, warehouse_id].append(_Lot(expiry_index, units * per_pack, (lot_id, code, expiry)))
        else:
            lots[item_id, warehouse_id].append(_Lot(expiry_index, units, (lot_id, code, expiry)))

    incoming: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * span)
    open_lines = PurchaseOrderLine.objects.filter(
        purchase_order__status__in=INCOMING_PO_STATUSES, quantity_received__lt=F("quantity_ordered")
    )
    if wanted is not None:
        open_lines = open_lines.filter(item_id__in=catalogue)
    if warehouse is not None:
        open_lines = open_lines.filter(purchase_order__warehouse=warehouse)
    arrivals = open_lines.order_by().values_list(
        "item_id",
        "purchase_order__warehouse_id",
        "purchase_order__expected_on",
        "purchase_order__supplier__lead_time_days",
    )
    for item_id, warehouse_id, expected, lead, units in arrivals.annotate(
        units=Sum(F("quantity_ordered") - F("quantity_received"))
    ):
        day = max(0, (expected - today).days) if expected else lead
        if day < span:
            incoming[item_id, warehouse_id][day] += units

    warehouses = {w.pk: w for w in Warehouse.objects.all()} if (demand or lots or incoming) else {}
    days = tuple(today + dt.timedelta(days=i) for i in range(horizon_days))
    rows = []
    for item_id, warehouse_id in sorted(demand.keys() | lots.keys() | incoming.keys()):
        item = catalogue.get(item_id)
        if item is None:
            continue
        rows.append(
            _item_forecast(
                item=item,
                warehouse=warehouses[warehouse_id],
                days=days,
                lots=lots.get((item_id, warehouse_id), []),
                demand=demand.get((item_id, warehouse_id)) or [0] * span,
                incoming=incoming.get((item_id, warehouse_id)) or [0] * span,
                lead_time=lead_times[item_id],
            )
        )
    rows.sort(key=lambda row: (row.item.sku, row.warehouse.name))
    return Forecast(today=today, days=days, rows=tuple(rows))


def _item_forecast(
    *,
    item: Item,
    warehouse: Warehouse,
    days: tuple[dt.date, ...],
    lots: list[_Lot],
    demand: list[int],
    incoming: list[int],
    lead_time: int,
) -> ItemForecast:
    horizon = len(days)
    on_hand = sum(lot.remaining for lot in lots)
    projected, expiring, unused = _project(lots, demand, incoming)
    position = projected[lead_time + REVIEW_DAYS - 1]  # on hand at the end of the window an order made now covers
    runs_out = next((days[i] for i in range(horizon) if projected[i] < 0), None)
    horizon_demand = sum(demand[:horizon])
    return ItemForecast(
        item=item,
        warehouse=warehouse,
        days=days,
        on_hand=on_hand,
        demand=tuple(demand[:horizon]),
        incoming=tuple(incoming[:horizon]),
        expiring=tuple(expiring[:horizon]),
        projected=tuple(projected[:horizon]),
        lead_time_days=lead_time,
        reorder_point=sum(demand[:lead_time]) + item.safety_stock,
        suggested_quantity=max(0, item.safety_stock - position),
        runs_out_on=runs_out,
        days_of_cover=round(on_hand * horizon / horizon_demand, 1) if horizon_demand else None,
        expiring_unused=tuple(
            ExpiringLot(lot_id, code, item.pk, warehouse.pk, expiry, units)
            for (lot_id, code, expiry), units in unused
            if units and expiry <= days[-1]
        ),
    )


def po_create_suggested(*, actor, item: Item, warehouse: Warehouse, today: dt.date | None = None) -> PurchaseOrder:
    """A draft purchase order to the item's preferred supplier for the forecast's suggested quantity."""
    supplier = item.preferred_supplier
    if supplier is None:
        raise ValidationError(
            _("%(item)s has no preferred supplier: choose one on the item first; no purchase order was created.")
            % {"item": item.label},
            code="no_preferred_supplier",
        )
    row = forecast(today=today, warehouse=warehouse, items=[item]).row(item_id=item.pk, warehouse_id=warehouse.pk)
    quantity = row.suggested_quantity if row else 0
    if quantity <= 0:
        raise ValidationError(
            _("%(item)s at %(warehouse)s needs no order now: stock and goods on order cover the next %(days)s days.")
            % {"item": item.label, "warehouse": warehouse.name, "days": supplier.lead_time_days + REVIEW_DAYS},
            code="nothing_to_order",
        )
    return po_create(actor=actor, supplier=supplier, warehouse=warehouse, lines=[(item, quantity)])
