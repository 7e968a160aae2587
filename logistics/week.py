"""Which day of the week each flexible order goes on, so the week needs the fewest vans.

An order allows some days (logistics.calendar: its date ± its flex_days, minus holidays, days its zone is not
served, days its household is away or does not take deliveries). The work of a depot's day is estimated from its
orders: packs against a van's capacity, and time against a van's shift, where time is each zone reached once (the
drive out and back, `reach_s`) plus each stop (service and the hop to the next door). Vans that day are the larger
of the two, rounded up. A zone split over two days is reached twice, so keeping zones together saves vans.

`assign_days` starts greedy (orders with fewest choices first, each on the day it costs least) and then improves:
whole zone-days move to another allowed day, then single orders, while the week's cost falls. The cost is the
van-days, then how level the days are, then the unrounded work (where a zone split costs a second drive out).
`first_allowed_days` is the baseline: each order on its first allowed day. Plain Python: the bench
(logistics.bench_week) and the tests run it without a database."""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations


@dataclass(frozen=True)
class WeekOrder:
    reference: str
    depot: int
    zone: int
    packs: int
    days: tuple[dt.date, ...]  # allowed days, earliest first; empty: left out


@dataclass(frozen=True)
class Fleet:
    """What a van of each depot does in a day, and how far each zone is from its depot."""

    capacity_packs: int = 80
    shift_s: int = 5 * 3600
    stop_s: int = 300 + 180  # service at the door plus the hop to the next door in the same zone
    reach_s: dict[int, int] = field(default_factory=dict)  # zone → drive out and back; default_reach_s if absent
    default_reach_s: int = 1800

    def work(self, packs: int, stops: int, zones: Sequence[int]) -> float:
        """Vans' worth of work, unrounded: what makes moves that do not yet save a van still worth making."""
        if not stops:
            return 0.0
        seconds = stops * self.stop_s + sum(self.reach_s.get(zone, self.default_reach_s) for zone in zones)
        return max(packs / self.capacity_packs, seconds / self.shift_s)

    def vans(self, packs: int, stops: int, zones: Sequence[int]) -> int:
        return math.ceil(self.work(packs, stops, zones) - 1e-9)


class _Load:
    """The week as it stands: per (day, depot), packs, stops and orders per zone."""

    def __init__(self, fleet: Fleet):
        self.fleet = fleet
        self.packs: dict[tuple, int] = defaultdict(int)
        self.zones: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, order: WeekOrder, day: dt.date, sign: int = 1) -> None:
        key = (day, order.depot)
        self.packs[key] += sign * order.packs
        zones = self.zones[key]
        zones[order.zone] += sign
        if not zones[order.zone]:
            del zones[order.zone]

    def work(self, key: tuple) -> float:
        zones = self.zones.get(key, {})
        return self.fleet.work(self.packs.get(key, 0), sum(zones.values()), list(zones))

    def vans(self, key: tuple) -> int:
        return math.ceil(self.work(key) - 1e-9)

    def cost(self) -> tuple[int, float, float]:
        """Van-days; then how unevenly the work falls over the days (the sum of squares of each day's unrounded
        work: smooth, so every move towards a level week counts, where the largest day moves in whole vans); then
        the unrounded work itself (a zone split costs a second drive out)."""
        by_day: dict[dt.date, float] = defaultdict(float)
        total, work = 0, 0.0
        for key in list(self.packs):
            unrounded = self.work(key)
            total += math.ceil(unrounded - 1e-9)
            by_day[key[0]] += unrounded
            work += unrounded
        return total, round(sum(w * w for w in by_day.values()), 6), round(work, 6)

    def splits(self) -> int:
        days: dict[tuple, int] = defaultdict(int)
        for (_day, depot), zones in self.zones.items():
            for zone in zones:
                days[depot, zone] += 1
        return sum(n - 1 for n in days.values())


def first_allowed_days(orders: Sequence[WeekOrder]) -> dict[str, dt.date]:
    """The baseline: every order on its first allowed day."""
    return {order.reference: order.days[0] for order in orders if order.days}


def _delta(load: _Load, order: WeekOrder, day: dt.date) -> tuple[int, float]:
    key = (day, order.depot)
    before = (load.vans(key), load.work(key))
    load.add(order, day)
    after = (load.vans(key), load.work(key))
    load.add(order, day, -1)
    return after[0] - before[0], after[1] - before[1]


def assign_days(orders: Sequence[WeekOrder], fleet: Fleet, *, passes: int = 8) -> dict[str, dt.date]:
    """Each order with an allowed day → its day (orders allowing none are left out of the answer).

    Two greedy starts, each improved: one gathers orders on the latest day they allow (zones together), one
    spreads them on the emptiest (a level week). The better week wins: fewer van-days, then a smaller largest
    day, then fewer zone splits."""
    best, best_key = {}, None
    for gather in (True, False):
        chosen = _assign(orders, fleet, gather=gather, passes=passes)
        figures = week_figures(orders, chosen, fleet)
        key = (figures["van_days"], figures["largest_day"], figures["zone_splits"])
        if best_key is None or key < best_key:
            best, best_key = chosen, key
    return best


def _assign(orders: Sequence[WeekOrder], fleet: Fleet, *, gather: bool, passes: int) -> dict[str, dt.date]:
    placeable = [order for order in orders if order.days]
    load = _Load(fleet)
    chosen: dict[str, dt.date] = {}

    def tie(order: WeekOrder, day: dt.date) -> int:
        # Gathering: the latest allowed day, where orders still to come may join it (as stabbing intervals at
        # their ends covers them with fewest points). Spreading: the day with the fewest packs so far.
        return -day.toordinal() if gather else load.packs.get((day, order.depot), 0)

    # Fewest choices first, then the earliest to close, then the biggest: the rigid orders make the shape the
    # flexible ones fill.
    for order in sorted(placeable, key=lambda o: (len(o.days), o.days[-1], -o.packs, o.reference)):
        day = min(order.days, key=lambda d: (*_delta(load, order, d), tie(order, d), d))
        chosen[order.reference] = day
        load.add(order, day)
    for _round in range(passes):
        improved = _move_zone_days(load, chosen, placeable) | _move_orders(load, chosen, placeable)
        if not improved:
            break
    return chosen


def _move_zone_days(load: _Load, chosen: dict[str, dt.date], orders: Sequence[WeekOrder]) -> bool:
    """Move all of a zone's orders of one day to another day they all allow, when the week costs less."""
    groups: dict[tuple, list[WeekOrder]] = defaultdict(list)
    for order in orders:
        groups[chosen[order.reference], order.depot, order.zone].append(order)
    improved = False
    for (day, _depot, _zone), group in sorted(groups.items(), key=lambda item: len(item[1])):
        if any(chosen[o.reference] != day for o in group):
            continue  # moved already in this pass
        common = set(group[0].days).intersection(*(o.days for o in group[1:])) - {day}
        best, best_cost = None, load.cost()
        for target in sorted(common):
            for o in group:
                load.add(o, day, -1)
                load.add(o, target)
            cost = load.cost()
            if cost < best_cost:
                best, best_cost = target, cost
            for o in group:
                load.add(o, target, -1)
                load.add(o, day)
        if best is not None:
            for o in group:
                load.add(o, day, -1)
                load.add(o, best)
                chosen[o.reference] = best
            improved = True
    return improved


def _move_orders(load: _Load, chosen: dict[str, dt.date], orders: Sequence[WeekOrder]) -> bool:
    """Move single orders to another allowed day when the week costs less."""
    improved = False
    for order in orders:
        day = chosen[order.reference]
        if len(order.days) < 2:
            continue
        best, best_cost = None, load.cost()
        load.add(order, day, -1)
        for target in order.days:
            if target == day:
                continue
            load.add(order, target)
            cost = load.cost()
            if cost < best_cost:
                best, best_cost = target, cost
            load.add(order, target, -1)
        load.add(order, best or day)
        if best is not None:
            chosen[order.reference] = best
            improved = True
    return improved


def week_figures(orders: Sequence[WeekOrder], days: dict[str, dt.date], fleet: Fleet) -> dict:
    """Van-days, the largest day, zone splits and vans per day of an assignment (estimated, as `assign_days`)."""
    load = _Load(fleet)
    for order in orders:
        if order.reference in days:
            load.add(order, days[order.reference])
    per_day: dict[dt.date, int] = defaultdict(int)
    for key in list(load.packs):
        per_day[key[0]] += load.vans(key)
    total, _spread, _work = load.cost()
    return {
        "van_days": total,
        "largest_day": max(per_day.values(), default=0),
        "zone_splits": load.splits(),
        "vans": dict(sorted(per_day.items())),
    }


# Above this many distinct days a zone's fewest visiting days are not searched (2^days subsets); 1 stands in,
# which keeps the bound a bound.
EXACT_DAYS_LIMIT = 12


def _fewest_days(windows: set[frozenset]) -> int:
    """The fewest days that meet every one of a zone's windows: the zone is reached at least once on each."""
    days = sorted(set().union(*windows))
    if len(days) > EXACT_DAYS_LIMIT:
        return 1
    for size in range(1, len(days) + 1):
        for combo in combinations(days, size):
            if all(window.intersection(combo) for window in windows):
                return size
    return len(days)


def week_lower_bound(orders: Sequence[WeekOrder], fleet: Fleet) -> int:
    """Van-days no assignment of these orders can go below, by the same estimate as `assign_days`.

    Every stop's time is spent whatever the day, and each zone is reached at least on the fewest days that meet
    all its orders' windows; a week's van-days are at least its whole work (time or packs) rounded up once. When
    the stops alone fill more vans than a target allows, no choice of days reaches it."""
    placeable = [order for order in orders if order.days]
    windows: dict[tuple, set[frozenset]] = defaultdict(set)
    for order in placeable:
        windows[order.depot, order.zone].add(frozenset(order.days))
    reach = sum(
        _fewest_days(spans) * fleet.reach_s.get(zone, fleet.default_reach_s)
        for (_depot, zone), spans in windows.items()
    )
    seconds = len(placeable) * fleet.stop_s + reach
    packs = sum(order.packs for order in placeable)
    return math.ceil(max(packs / fleet.capacity_packs, seconds / fleet.shift_s) - 1e-9)
