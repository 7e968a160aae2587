"""Turn a benchmark instance into the solver's integer Problem, and score a plan back in the instance's units."""

import math

from routing.bench.instances import Instance
from routing.solver import Plan, Priority, Problem, Stop, TimeWindow, Vehicle

# Scaled by 100, rounding a distance moves it by at most 0.005 per arc, well below the 2 decimals reported.
VRPTW_SCALE = 100
# CVRP has no times: durations are zero, so any window is wide. One day keeps the shift inside any solver horizon.
CVRP_HORIZON = 24 * 3600


def to_problem(instance: Instance, *, scale: int = VRPTW_SCALE) -> Problem:
    """Stop ids are the customer numbers of the file, so node i of the matrices is stop "i"."""
    if instance.kind == "cvrp":
        return _cvrp_problem(instance)
    distance = tuple(tuple(round(d * scale) for d in row) for row in instance.distance)
    # Times round up: a plan that keeps every window on these integers keeps it in exact arithmetic too.
    duration = tuple(tuple(math.ceil(d * scale) for d in row) for row in instance.distance)
    shift = TimeWindow(instance.ready[0] * scale, instance.due[0] * scale)
    stops = tuple(
        Stop(
            id=str(node),
            demand=(instance.demand[node],),
            window=TimeWindow(instance.ready[node] * scale, instance.due[node] * scale),
            service_time=instance.service[node] * scale,
            priority=Priority.NORMAL,
        )
        for node in range(1, len(instance.demand))
    )
    return Problem(vehicles=_fleet(instance, shift), stops=stops, distance=distance, duration=duration)


def _cvrp_problem(instance: Instance) -> Problem:
    day = TimeWindow(0, CVRP_HORIZON)
    size = len(instance.demand)
    stops = tuple(
        Stop(id=str(node), demand=(instance.demand[node],), window=day, priority=Priority.NORMAL)
        for node in range(1, size)
    )
    distance = tuple(tuple(int(d) for d in row) for row in instance.distance)
    duration = tuple((0,) * size for _ in range(size))
    return Problem(vehicles=_fleet(instance, day), stops=stops, distance=distance, duration=duration)


def _fleet(instance: Instance, shift: TimeWindow) -> tuple[Vehicle, ...]:
    width = len(str(instance.vehicles))
    return tuple(
        Vehicle(id=f"v{k:0{width}d}", capacity=(instance.capacity,), shift=shift)
        for k in range(1, instance.vehicles + 1)
    )


def plan_distance(instance: Instance, plan: Plan) -> float:
    """Total distance of the plan's routes in the instance's own metric (double precision for VRPTW)."""
    total = 0.0
    for route in plan.routes:
        here = 0
        for visit in route.visits:
            node = int(visit.stop_id)
            total += instance.distance[here][node]
            here = node
        total += instance.distance[here][0]
    return total


def vehicles_used(plan: Plan) -> int:
    return sum(1 for route in plan.routes if route.visits)
