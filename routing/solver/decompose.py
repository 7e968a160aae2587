"""Large days: split by depot and by neighbourhood, solve the parts in parallel, then place what is left over.

A part is small enough (about PART_SIZE stops) for OR-Tools to search well in seconds; the parts share nothing,
so they run in separate processes, one per core.
"""

import math
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from routing.solver.engine import improve, solve
from routing.solver.model import Plan, Problem, Route, Unassigned, UnassignedReason
from routing.solver.pyvrp_engine import unsupported
from routing.solver.solve import SearchOptions

PART_SIZE = 150
# When PyVRP models the whole day, the parts get this share of the time and a search over the whole day, from the
# parts' routes, the rest: it merges routes across the parts' borders (city day, 110 s: see benchmarks/city.txt).
PARTS_SHARE = 0.2

Mapper = Callable[[Callable, Iterable], Iterable]


def solve_large(
    problem: Problem,
    *,
    time_limit_s: float = 300,
    workers: int = 2,
    map_parts: Mapper | None = None,
    on_solution: Callable[[], None] | None = None,
) -> Plan:
    """Plan a day of any size within `time_limit_s` on `workers` cores. `on_solution` (see `solve`) is called
    when the day is searched in this process as a whole; parts searched in other processes cannot call it."""
    if not splits(problem):
        if map_parts is not None or workers <= 1:
            return solve(problem, time_limit_s=time_limit_s, on_solution=on_solution)
        return solve(problem, time_limit_s=time_limit_s, workers=workers, on_solution=on_solution)
    deadline = time.monotonic() + time_limit_s
    parts = split(problem)
    rounds = math.ceil(len(parts) / workers)
    whole = not unsupported(problem)
    # Most of the time goes to the parts (a share of it when the whole day is searched after them); the rest,
    # less a margin for starting processes, to the leftovers.
    share = PARTS_SHARE if whole else 0.78
    options = SearchOptions(time_limit_s=max(1.0, share * time_limit_s / rounds))
    jobs = [(part, options) for part in parts]
    if map_parts is None:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            plans = list(pool.map(_solve_part, jobs))
    else:
        plans = list(map_parts(_solve_part, jobs))
    routes = [route for plan in plans for route in plan.routes]
    left = [u for plan in plans for u in plan.unassigned]
    remaining = deadline - time.monotonic() - 0.01 * time_limit_s
    leftovers = 0.1 if whole else 0.2
    plan = _place_leftovers(problem, routes, left, time_limit_s=max(1.0, min(leftovers * time_limit_s, remaining)))
    # The day's engine is the one that made most of its parts (the first such part's on a tie).
    engines = [p.engine for p in plans if p.engine]
    engine = max(engines, key=engines.count) if engines else ""
    plan = replace(plan, engine=engine, engine_note=f"planned in {len(parts)} parts ({engine or 'no engine'} on most)")
    if not whole:
        return plan
    # The margin: reading, repairing and checking three plans of the whole day comes after the search.
    remaining = deadline - time.monotonic() - 0.05 * time_limit_s
    return improve(problem, plan, time_limit_s=remaining, workers=workers)


def splits(problem: Problem) -> bool:
    """Whether `solve_large` splits the day into parts (and so calls `map_parts`) or searches it whole."""
    return len(problem.stops) > PART_SIZE and bool(problem.vehicles)


def _solve_part(job: tuple[Problem, SearchOptions]) -> Plan:
    problem, options = job
    return solve_part(problem, options)


def solve_part(problem: Problem, options: SearchOptions, *, on_solution: Callable[[], None] | None = None) -> Plan:
    """Search one part of a split day: what each process, or each Celery worker (routing.parts), runs."""
    return solve(problem, options=options, on_solution=on_solution)


def split(problem: Problem) -> list[Problem]:
    """Each stop goes to its nearest depot that has vehicles; each depot's stops into neighbourhoods of about
    PART_SIZE, with that depot's vehicles shared out by demand."""
    depots_in_use = sorted({v.start_depot for v in problem.vehicles})
    by_depot: dict[int, list[int]] = {d: [] for d in depots_in_use}
    for i in range(len(problem.stops)):
        node = problem.node(i)
        by_depot[min(depots_in_use, key=lambda d: problem.duration[d][node])].append(i)
    planned: list[tuple[list[int], list]] = []  # (stop indices, vehicles) per part
    for depot, members in by_depot.items():
        fleet = [v for v in problem.vehicles if v.start_depot == depot]
        if not members:
            continue
        count = min(len(fleet), max(1, round(len(members) / PART_SIZE)))
        groups = _neighbourhoods(problem, depot, members, count)
        shares = _share_vehicles(problem, groups, len(fleet))
        taken = 0
        for group, share in zip(groups, shares, strict=True):
            planned.append((group, fleet[taken : taken + share]))
            taken += share
    _keep_together(problem, planned)
    return [_sub_problem(problem, group, vehicles) for group, vehicles in planned if group]


def _keep_together(problem: Problem, planned: list[tuple[list[int], list]]) -> None:
    """A locked stop joins the part that has its vehicle; a delivery joins the part of its pickup."""
    part_of = {i: p for p, (group, _vehicles) in enumerate(planned) for i in group}
    vehicle_part = {v.id: p for p, (_group, vehicles) in enumerate(planned) for v in vehicles}
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    moves = {
        i: vehicle_part[stop.locked_vehicle]
        for i, stop in enumerate(problem.stops)
        if stop.locked_vehicle in vehicle_part
    }
    for pickup, delivery in problem.pairs:
        moves[index_of[delivery]] = moves.get(index_of[pickup], part_of[index_of[pickup]])
    for i, target in moves.items():
        if part_of[i] != target:
            planned[part_of[i]][0].remove(i)
            planned[target][0].append(i)
            part_of[i] = target


def _neighbourhoods(problem: Problem, depot: int, members: list[int], count: int) -> list[list[int]]:
    """Farthest-point seeds, then each stop to its nearest seed with room; sizes stay within one stop."""
    node = problem.node
    seeds = [max(members, key=lambda i: problem.duration[depot][node(i)])]
    while len(seeds) < count:
        seeds.append(max(members, key=lambda i: min(problem.duration[node(s)][node(i)] for s in seeds)))
    room = [math.ceil(len(members) / count)] * count
    groups: list[list[int]] = [[] for _ in range(count)]
    # Stops with the clearest choice of seed pick first, so borders fill last.
    order = sorted(members, key=lambda i: min(problem.duration[node(s)][node(i)] for s in seeds))
    for i in order:
        ranked = sorted(range(count), key=lambda g: problem.duration[node(seeds[g])][node(i)])
        g = next(g for g in ranked if room[g] > 0)
        groups[g].append(i)
        room[g] -= 1
    return [g for g in groups if g]


def _share_vehicles(problem: Problem, groups: list[list[int]], fleet: int) -> list[int]:
    """Vehicles per group in proportion to demand (first dimension), at least one each."""
    demand = [sum(problem.stops[i].demand[0] for i in g) for g in groups]
    total = sum(demand) or 1
    shares = [max(1, math.floor(fleet * d / total)) for d in demand]
    while sum(shares) > fleet:
        shares[shares.index(max(shares))] -= 1
    for g in sorted(range(len(groups)), key=lambda g: demand[g] / shares[g], reverse=True):
        if sum(shares) == fleet:
            break
        shares[g] += 1
    return shares


def _sub_problem(problem: Problem, stop_indices: list[int], vehicles) -> Problem:
    depots = list(range(len(problem.depots)))
    nodes = depots + [problem.node(i) for i in stop_indices]
    stops = tuple(problem.stops[i] for i in stop_indices)
    ids = {s.id for s in stops}
    return Problem(
        vehicles=tuple(vehicles),
        stops=stops,
        distance=tuple(tuple(problem.distance[a][b] for b in nodes) for a in nodes),
        duration=tuple(tuple(problem.duration[a][b] for b in nodes) for a in nodes),
        depots=problem.depots,
        pairs=tuple(p for p in problem.pairs if p[0] in ids and p[1] in ids),
        objective=problem.objective,
    )


def _place_leftovers(problem: Problem, routes: list[Route], left: list[Unassigned], *, time_limit_s: float) -> Plan:
    """Stops left out for lack of room get a second chance on the vehicles no part used."""
    retry = [u for u in left if u.reason == UnassignedReason.NO_CAPACITY_TODAY]
    idle = [v for v in problem.vehicles if v.id not in {r.vehicle_id for r in routes}]
    if not retry or not idle:
        return Plan(routes=tuple(routes), unassigned=tuple(left))
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    second = solve(_sub_problem(problem, [index_of[u.stop_id] for u in retry], idle), time_limit_s=time_limit_s)
    kept = [u for u in left if u.reason != UnassignedReason.NO_CAPACITY_TODAY]
    unassigned = sorted([*kept, *second.unassigned], key=lambda u: (u.priority, index_of[u.stop_id]))
    return Plan(routes=tuple([*routes, *second.routes]), unassigned=tuple(unassigned))
