"""Week planning without a database: every order on a day it allows, zones kept together, fewer van-days than
putting each order on its first allowed day."""

import datetime as dt

from logistics.week import Fleet, WeekOrder, assign_days, first_allowed_days, week_figures

MONDAY = dt.date(2026, 6, 8)
DAYS = [MONDAY + dt.timedelta(days=n) for n in range(5)]
# Drives are long and stops quick: a zone reached on two days costs a second drive out.
FLEET = Fleet(capacity_packs=80, shift_s=4 * 3600, stop_s=600, reach_s={1: 3600, 2: 3600})


def _order(ref: str, zone: int, days: list[int], packs: int = 1) -> WeekOrder:
    return WeekOrder(ref, depot=1, zone=zone, packs=packs, days=tuple(DAYS[d] for d in days))


def test_orders_of_one_zone_go_on_the_day_they_all_allow():
    orders = [_order("a", 1, [0, 1, 2]), _order("b", 1, [1, 2, 3]), _order("c", 1, [2, 3, 4])]

    chosen = assign_days(orders, FLEET)

    assert chosen == {"a": DAYS[2], "b": DAYS[2], "c": DAYS[2]}


def test_no_order_is_given_a_day_it_does_not_allow_and_one_allowing_none_is_left_out():
    orders = [_order(f"o{n}", 1 + n % 2, [n % 5, (n + 2) % 5]) for n in range(40)] + [_order("none", 1, [])]

    chosen = assign_days(orders, FLEET)

    assert "none" not in chosen
    assert all(chosen[o.reference] in o.days for o in orders if o.days)
    assert len(chosen) == 40


def test_the_week_planner_needs_fewer_van_days_than_the_first_allowed_day():
    # Two zones, each order free over three days: the baseline reaches each zone on three days.
    orders = [_order(f"o{n}", 1 + n % 2, [n % 3, n % 3 + 1, n % 3 + 2]) for n in range(30)]

    baseline = week_figures(orders, first_allowed_days(orders), FLEET)
    planned = week_figures(orders, assign_days(orders, FLEET), FLEET)

    assert (baseline["van_days"], baseline["zone_splits"]) == (3, 4)
    assert (planned["van_days"], planned["zone_splits"], planned["vans"]) == (2, 0, {DAYS[2]: 2})


def test_a_full_day_spills_over_to_the_next_allowed_one():
    orders = [_order(f"o{n}", 1, [0, 1], packs=10) for n in range(12)]  # 120 packs: more than one van's 80

    chosen = assign_days(orders, FLEET)

    assert week_figures(orders, chosen, FLEET)["van_days"] == 2
    assert sorted({day for day in chosen.values()}) in ([DAYS[0]], [DAYS[0], DAYS[1]], [DAYS[1]])
