"""python -m routing.bench.city [--stops N --vehicles V --depots D --time-limit S]: plan a generated city-sized day
(2,000 stops, 60 vans, 3 depots by default) the way the app does, check it, and report the time it took."""

import argparse
import sys
import time

from routing.solver import Priority, plan_violations
from routing.solver.decompose import solve_large
from routing.solver.generate import city_day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routing.bench.city", description=__doc__)
    parser.add_argument("--stops", type=int, default=2000)
    parser.add_argument("--vehicles", type=int, default=60)
    parser.add_argument("--depots", type=int, default=3)
    parser.add_argument(
        "--time-limit", type=float, default=290.0, help="seconds for the solver; with the matrices, under 5 minutes"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if min(args.stops, args.vehicles, args.depots, args.workers) < 1 or args.time_limit <= 0:
        parser.error("stops, vehicles, depots, workers and the time limit must be positive")

    started = time.perf_counter()
    problem, _locations = city_day(stops=args.stops, vehicles=args.vehicles, depots=args.depots)
    built = time.perf_counter() - started
    plan = solve_large(problem, time_limit_s=args.time_limit, workers=args.workers)
    total = time.perf_counter() - started
    solved = total - built
    violations = plan_violations(problem, plan)
    urgent_left = sum(1 for u in plan.unassigned if u.priority == Priority.URGENT)
    lines = [
        f"city day: {args.stops} stops, {args.vehicles} vans, {args.depots} depots, limit {args.time_limit:.0f} s",
        f"  matrices built in {built:.1f} s; planned in {solved:.1f} s on {args.workers} workers; {total:.1f} s in all",
        f"  {len(plan.routes)} routes, {plan.distance / 1000:.1f} km, {len(plan.unassigned)} unassigned "
        f"({urgent_left} urgent), checker: {'valid' if not violations else violations[:3]}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if not violations else 1


if __name__ == "__main__":
    sys.exit(main())
