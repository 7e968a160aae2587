"""Use every core: run the search from different first solutions side by side and keep the best plan.

OR-Tools' routing search has no random seed; starting from different constructions is what diversifies it.
"""

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from routing.solver.model import Plan, Problem
from routing.solver.solve import DROP_PENALTY, SearchOptions, solve

# Measured on the public benchmarks (benchmarks/results.md): parallel insertion wins on tight windows, local
# insertion on capacity-bound days; past several hundred stops parallel insertion is too slow to finish in time,
# and without windows the cheapest-arc path is a strong start.
WINDOWED_STARTS = ("PARALLEL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC")
LARGE_WINDOWED_STARTS = ("LOCAL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "SAVINGS")
OPEN_STARTS = ("LOCAL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "SAVINGS")
LARGE = 800


def starts_for(problem: Problem) -> tuple[str, ...]:
    shifts = [v.shift for v in problem.vehicles]
    day = (min(s.start for s in shifts), max(s.end for s in shifts)) if shifts else (0, 0)
    windowed = any(s.window.start > day[0] or s.window.end < day[1] or s.more_windows for s in problem.stops)
    if not windowed:
        return OPEN_STARTS
    return LARGE_WINDOWED_STARTS if len(problem.stops) > LARGE else WINDOWED_STARTS


def plan_cost(problem: Problem, plan: Plan) -> int:
    """What the search minimises: driving, vehicles used, and a penalty for every stop left out."""
    vehicles = {v.id: v for v in problem.vehicles}
    driving = sum(
        r.distance * vehicles[r.vehicle_id].distance_cost + vehicles[r.vehicle_id].fixed_cost for r in plan.routes
    )
    return driving + sum(DROP_PENALTY[u.priority] for u in plan.unassigned)


def solve_portfolio(problem: Problem, *, options: SearchOptions, workers: int = 2) -> Plan:
    """The best of `workers` searches, each from a different first solution; ties go to the earlier start."""
    starts = starts_for(problem)
    if workers <= 1:
        return solve(problem, options=replace(options, first_solution=starts[0]))
    jobs = [(problem, replace(options, first_solution=start)) for start in starts[:workers]]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        plans = list(pool.map(_run, jobs))
    return min(plans, key=lambda plan: plan_cost(problem, plan))


def _run(job: tuple[Problem, SearchOptions]) -> Plan:
    problem, options = job
    return solve(problem, options=options)
