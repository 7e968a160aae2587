"""PyVRP as anyone would run it on a benchmark: its defaults, one core, every stop required, distance only.
The yardstick our engine must match or beat in the same wall time."""

import warnings

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from routing.solver import Plan, Problem, Unassigned, UnassignedReason
from routing.solver.pyvrp_engine import timed_route

SEED = 0


def solve_pyvrp_alone(problem: Problem, *, time_limit_s: float) -> Plan:
    """One vehicle type (the benchmark fleet is uniform), clients required, fixed cost 0, PyVRP's defaults."""
    vehicle = problem.vehicles[0]
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(0, 0) for _ in range(len(problem.stops) + 1)],
        clients=[
            pyvrp.Client(
                location=i + 1,
                delivery=list(stop.demand),
                service_duration=stop.service_time,
                tw_early=stop.window.start,
                tw_late=stop.window.end,
            )
            for i, stop in enumerate(problem.stops)
        ],
        depots=[pyvrp.Depot(location=0)],
        vehicle_types=[
            pyvrp.VehicleType(
                num_available=len(problem.vehicles),
                capacity=list(vehicle.capacity),
                tw_early=vehicle.shift.start,
                tw_late=vehicle.shift.end,
            )
        ],
        distance_matrices=[np.asarray(problem.distance, dtype=np.int64)],
        duration_matrices=[np.asarray(problem.duration, dtype=np.int64)],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pyvrp.solve(data, MaxRuntime(time_limit_s), seed=SEED, collect_stats=False, display=False)
    routes = []
    for number, pyvrp_route in enumerate(result.best.routes()):
        order = [a.idx for a in pyvrp_route.schedule() if a.type == pyvrp.ActivityType.CLIENT]
        route = timed_route(problem, problem.vehicles[number], order)
        if route is None:  # an infeasible best: the checker would reject it, so leave its stops out
            return Plan(
                routes=(), unassigned=tuple(Unassigned(s.id, UnassignedReason.NO_CAPACITY_TODAY) for s in problem.stops)
            )
        routes.append(route)
    served = {v.stop_id for r in routes for v in r.visits}
    left = tuple(Unassigned(s.id, UnassignedReason.NO_CAPACITY_TODAY) for s in problem.stops if s.id not in served)
    return Plan(routes=tuple(routes), unassigned=left, engine="pyvrp")
