"""What the aid delivered in a period cost: per delivery and per household, by day, zone and programme.

Rules, so every figure can be checked by hand:
- A delivery is an order handed over in the period, as the manager's figures count them (`reports.metrics`): a
  stop recorded delivered on a round dated in the period, or an order collected at the depot in the period. Its
  day is the round's date or the day it was collected.
- Its packs' value: each pack at its components' unit cost now, VAT excluded (`inventory.money.pack_values`).
- A round's van cost = the vehicle's cost per day + its cost per km × the round's planned distance. It is shared
  equally by the round's delivered stops: failed stops add to the cost of the deliveries that succeeded. A round
  with nothing delivered is counted in the total van cost as "not shared" and in no breakdown. Pick-ups at the
  depot have no van cost.
- By programme, an order's van share is split by the number of its packs in each programme.
- Per delivery = cost / deliveries; per household = cost / unduplicated households served (each counted once).
- Amounts are kept exact while added up and rounded to the cent in each row.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Round, Stop
from inventory.models import Pack, Programme
from inventory.money import cents, pack_values
from logistics.models import DeliveryOrder, DeliveryOrderLine
from reports.metrics import COLLECTED, Period

ZERO = Decimal(0)


@dataclass
class _Sum:
    deliveries: set = field(default_factory=set)
    households: set = field(default_factory=set)
    packs: Decimal = ZERO
    van: Decimal = ZERO


@dataclass(frozen=True)
class CostRow:
    key: object  # a date, a zone name, a programme code, or "" for the total
    label: str
    deliveries: int
    households: int
    packs_value: Decimal
    van_cost: Decimal

    @property
    def total(self) -> Decimal:
        return self.packs_value + self.van_cost

    @property
    def per_delivery(self) -> Decimal | None:
        return cents(self.total / self.deliveries) if self.deliveries else None

    @property
    def per_household(self) -> Decimal | None:
        return cents(self.total / self.households) if self.households else None


@dataclass(frozen=True)
class DeliveryCosts:
    period: Period
    total: CostRow
    van_cost_not_shared: Decimal  # rounds with nothing delivered
    by_day: tuple[CostRow, ...]
    by_zone: tuple[CostRow, ...]
    by_programme: tuple[CostRow, ...]


def round_cost(round_: Round) -> Decimal:
    vehicle = round_.vehicle
    return vehicle.daily_cost + vehicle.cost_per_km * Decimal(round_.distance_m) / 1000


def _row(key, label: str, total: _Sum) -> CostRow:
    return CostRow(key, label, len(total.deliveries), len(total.households), cents(total.packs), cents(total.van))


def delivered_in(period: Period) -> dict[int, dt.date]:
    """Order id -> the day it was handed over: at the door (a stop recorded delivered on a round dated in the
    period) or at the depot (collected in the period), as the manager's figures count deliveries."""
    start, end = period.bounds()
    days = dict(
        Stop.objects.deliveries()
        .filter(outcome=Stop.Outcome.DELIVERED, round__date__gte=period.first, round__date__lte=period.last)
        .values_list("order_id", "round__date")
    )
    for order_id, collected_at in DeliveryOrder.objects.filter(
        COLLECTED, collected_at__gte=start, collected_at__lt=end
    ).values_list("pk", "collected_at"):
        days[order_id] = timezone.localdate(collected_at)
    return days


def delivery_costs(*, period: Period) -> DeliveryCosts:
    """The cost of the deliveries of `period` (module docstring), in a handful of queries."""
    handed_over = delivered_in(period)
    orders = {
        order.pk: order for order in DeliveryOrder.objects.filter(pk__in=handed_over).select_related("household__zone")
    }
    values = pack_values()
    programmes = dict(Pack.objects.values_list("pk", "programme"))
    packs: dict[int, dict[str, tuple[int, Decimal]]] = defaultdict(dict)  # order -> programme -> (units, value)
    for order_id, pack_id, units in DeliveryOrderLine.objects.filter(order_id__in=orders).values_list(
        "order_id", "pack_id", "quantity"
    ):
        programme = programmes[pack_id]
        had_units, had_value = packs[order_id].get(programme, (0, ZERO))
        packs[order_id][programme] = (had_units + units, had_value + units * values.get(pack_id, ZERO))

    van: dict[int, Decimal] = defaultdict(lambda: ZERO)
    not_shared = ZERO
    rounds = Round.objects.filter(date__range=(period.first, period.last)).select_related("vehicle")
    delivered_stops: dict[int, list[int]] = defaultdict(list)
    for round_id, order_id in (
        Stop.objects.deliveries()
        .filter(round__in=rounds, outcome=Stop.Outcome.DELIVERED, order_id__in=orders)
        .values_list("round_id", "order_id")
    ):
        delivered_stops[round_id].append(order_id)
    for round_ in rounds:
        cost = round_cost(round_)
        stops = delivered_stops.get(round_.pk)
        if not stops:
            not_shared += cost
            continue
        for order_id in stops:
            van[order_id] += cost / len(stops)

    total, days, zones = _Sum(), defaultdict(_Sum), defaultdict(_Sum)
    by_programme: dict[str, _Sum] = defaultdict(_Sum)
    for order_id, order in orders.items():
        order_packs = packs.get(order_id, {})
        value = sum((v for _units, v in order_packs.values()), ZERO)
        zone = order.household.zone.name if order.household.zone else ""
        for target in (total, days[handed_over[order_id]], zones[zone]):
            target.deliveries.add(order_id)
            target.households.add(order.household_id)
            target.packs += value
            target.van += van[order_id]
        units_all = sum(units for units, _v in order_packs.values())
        for programme, (units, programme_value) in order_packs.items():
            target = by_programme[programme]
            target.deliveries.add(order_id)
            target.households.add(order.household_id)
            target.packs += programme_value
            target.van += van[order_id] * units / units_all if units_all else ZERO

    total.van += not_shared
    labels = dict(Programme.choices)
    return DeliveryCosts(
        period=period,
        total=_row("", "", total),
        van_cost_not_shared=cents(not_shared),
        by_day=tuple(_row(day, day.isoformat(), days[day]) for day in sorted(days)),
        by_zone=tuple(_row(zone, zone or _("No zone"), zones[zone]) for zone in sorted(zones)),
        by_programme=tuple(
            _row(code, str(labels[code]), by_programme[code]) for code in Programme.values if code in by_programme
        ),
    )


def month_period(month: dt.date) -> Period:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, following - dt.timedelta(days=1))
