"""The week's lower bound: no assignment of days, the planner's or the baseline's, needs fewer van-days; it counts
every stop's time and each zone reached on the fewest days its orders' windows allow. No database."""

import datetime as dt
import random

import pytest

from logistics import week
from logistics.week import Fleet, WeekOrder, assign_days, first_allowed_days, week_figures, week_lower_bound

MONDAY = dt.date(2026, 6, 8)
DAYS = [MONDAY + dt.timedelta(days=n) for n in range(5)]
# One hour's shift, ten-minute stops, a zone 30 minutes out and back: six stops or two reaches fill a van.
FLEET = Fleet(capacity_packs=10, shift_s=3600, stop_s=600, reach_s={1: 1800, 2: 1800})


def _order(ref: str, zone: int, days: list[int], packs: int = 1, depot: int = 1) -> WeekOrder:
    return WeekOrder(ref, depot=depot, zone=zone, packs=packs, days=tuple(DAYS[d] for d in days))


def test_a_zone_whose_windows_do_not_meet_is_reached_on_as_many_days_as_it_must():
    # Windows {Mon, Tue}, {Tue, Wed}, {Thu}: Tuesday and Thursday meet them all, one day cannot.
    orders = [_order("a", 1, [0, 1]), _order("b", 1, [1, 2]), _order("c", 1, [3])]

    # 3 stops × 600 s + 2 reaches × 1800 s = 5400 s: 1.5 shifts, so 2 van-days.
    assert week_lower_bound(orders, FLEET) == 2
    assert week_figures(orders, assign_days(orders, FLEET), FLEET)["van_days"] == 2


def test_packs_bound_the_week_when_they_fill_vans_before_time_does():
    orders = [_order(f"o{n}", 1, [0, 1, 2], packs=9) for n in range(3)]

    assert week_lower_bound(orders, FLEET) == 3  # 27 packs in vans of 10


def test_orders_allowing_no_day_are_not_counted():
    assert week_lower_bound([_order("none", 1, [])], FLEET) == 0
    assert week_lower_bound([_order("none", 1, []), _order("a", 2, [4])], FLEET) == 1


def test_each_depot_reaches_its_own_zones():
    # The same zone served from two depots is reached from each.
    orders = [_order("a", 1, [0], depot=1), _order("b", 1, [0], depot=2)]

    # 2 × 600 + 2 × 1800 = 4800 s
    assert week_lower_bound(orders, FLEET) == 2


def test_too_many_days_to_search_still_count_one_visit(monkeypatch):
    monkeypatch.setattr(week, "EXACT_DAYS_LIMIT", 1)
    orders = [_order("a", 1, [0]), _order("b", 1, [3])]

    # Searched, two visits: 2 × 600 + 2 × 1800 = 4800 s; not searched, one: 3000 s.
    assert week_lower_bound(orders, FLEET) == 1


@pytest.mark.parametrize("seed", range(5))
def test_neither_the_planner_nor_the_baseline_goes_below_the_bound(seed):
    rng = random.Random(seed)
    orders = []
    for n in range(60):
        start = rng.randrange(5)
        days = [d for d in range(start, min(5, start + rng.choice((1, 2, 3)))) if d != 2]
        orders.append(_order(f"o{n}", rng.choice((1, 2, 3)), days, packs=rng.choice((1, 2)), depot=rng.choice((1, 2))))

    bound = week_lower_bound(orders, FLEET)

    assert week_figures(orders, assign_days(orders, FLEET), FLEET)["van_days"] >= bound
    assert week_figures(orders, first_allowed_days(orders), FLEET)["van_days"] >= bound
    assert bound > 0
