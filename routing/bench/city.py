"""python -m routing.bench.city [--stops N --vehicles V --depots D --pairs P... --time-limit S]: plan a generated
city-sized day (2,000 stops, 60 vans, 3 depots by default) the way the app does, once per number of pharmacy
pickup-and-delivery pairs on top (0 and 40 by default), check each plan, and report the time it took, the vans, the
km and the fleet's cost."""

import argparse
import sys
import time

from routing.solver import Priority, plan_violations
from routing.solver.decompose import solve_large
from routing.solver.generate import city_day

# For the cost line only (the solver minimises vans, then km): the app's default van costs (logistics.Vehicle).
VAN_DAY_EUR = 90.0
KM_EUR = 0.25


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routing.bench.city", description=__doc__)
    parser.add_argument("--stops", type=int, default=2000)
    parser.add_argument("--vehicles", type=int, default=60)
    parser.add_argument("--depots", type=int, default=3)
    parser.add_argument(
        "--time-limit", type=float, default=110.0, help="seconds for the solver; with the matrices, under 2 minutes"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        nargs="+",
        default=[0, 40],
        help="pharmacy runs (a pickup and a home delivery each) on top of the stops; one day per number given",
    )
    parser.add_argument(
        "--van-cost", type=float, default=VAN_DAY_EUR, help="a van and its driver for the day, in euros (for the cost)"
    )
    parser.add_argument("--km-cost", type=float, default=KM_EUR, help="euros per km driven (for the cost)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if min(args.stops, args.vehicles, args.depots, args.workers) < 1 or args.time_limit <= 0 or min(args.pairs) < 0:
        parser.error("stops, vehicles, depots, workers and the time limit must be positive (pairs at least 0)")
    results = [_day(args, pairs) for pairs in args.pairs]
    return 0 if all(results) else 1


def _day(args: argparse.Namespace, pairs: int) -> bool:
    """Plan one generated day, print its figures; True if the checker accepts the plan."""
    started = time.perf_counter()
    problem, _locations = city_day(stops=args.stops, vehicles=args.vehicles, depots=args.depots, pairs=pairs)
    built = time.perf_counter() - started
    plan = solve_large(problem, time_limit_s=args.time_limit, workers=args.workers)
    total = time.perf_counter() - started
    solved = total - built
    violations = plan_violations(problem, plan)
    urgent_left = sum(1 for u in plan.unassigned if u.priority == Priority.URGENT)
    km = plan.distance / 1000
    cost = len(plan.routes) * args.van_cost + km * args.km_cost
    runs = f" + {pairs} pharmacy pairs" if pairs else ""
    lines = [
        f"city day: {args.stops} stops{runs}, {args.vehicles} vans, {args.depots} depots, "
        f"objective {problem.objective.value}, limit {args.time_limit:.0f} s",
        f"  matrices built in {built:.1f} s; planned in {solved:.1f} s on {args.workers} workers; {total:.1f} s in all",
        f"  {len(plan.routes)} routes, {km:.1f} km, {len(plan.unassigned)} unassigned "
        f"({urgent_left} urgent), checker: {'valid' if not violations else violations[:3]}",
        f"  cost {cost:,.0f} EUR ({len(plan.routes)} vans at {args.van_cost:.0f} EUR, {km:.1f} km at "
        f"{args.km_cost:.2f} EUR); engine {plan.engine or 'parts'}: {plan.engine_note or 'planned in parts'}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    return not violations


if __name__ == "__main__":
    sys.exit(main())
