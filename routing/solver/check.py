"""An independent check of a plan against its problem, written apart from the solver so it can catch it out."""

from collections import Counter

from routing.solver.model import Plan, Problem, Route, Vehicle


def plan_violations(problem: Problem, plan: Plan) -> list[str]:
    """Return every broken rule in words; an empty list means the plan is valid."""
    problems: list[str] = []
    stops = {s.id: (problem.node(i), s) for i, s in enumerate(problem.stops)}
    vehicles = {v.id: v for v in problem.vehicles}
    where: dict[str, tuple[str, int]] = {}  # stop id -> (vehicle id, position)
    used = Counter(route.vehicle_id for route in plan.routes)
    problems += [f"vehicle {vehicle_id} has {n} routes" for vehicle_id, n in used.items() if n > 1]
    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            problems.append(f"route uses unknown vehicle {route.vehicle_id}")
            continue
        unknown = [visit.stop_id for visit in route.visits if visit.stop_id not in stops]
        if unknown:
            problems.append(f"{vehicle.id} visits unknown stops {unknown}")
            continue
        problems += _route_violations(problem, stops, vehicle, route)
        for position, visit in enumerate(route.visits, start=1):
            where[visit.stop_id] = (vehicle.id, position)

    counts = Counter([*(v.stop_id for r in plan.routes for v in r.visits), *(u.stop_id for u in plan.unassigned)])
    for stop_id, (_node, stop) in stops.items():
        if counts[stop_id] != 1:
            problems.append(f"{stop_id} appears {counts[stop_id]} times (must be exactly once, routed or unassigned)")
        if stop_id in where:
            vehicle_id, position = where[stop_id]
            if stop.locked_vehicle not in (None, vehicle_id):
                problems.append(f"{stop_id} is locked to {stop.locked_vehicle} but rides on {vehicle_id}")
            if stop.locked_position not in (None, position):
                problems.append(f"{stop_id} is locked to position {stop.locked_position} but is at {position}")
            if not stop.skills <= vehicles[vehicle_id].skills:
                problems.append(f"{stop_id} needs {sorted(stop.skills)} which {vehicle_id} lacks")
    for pickup, delivery in problem.pairs:
        if (pickup in where) != (delivery in where):
            problems.append(f"pickup {pickup} and delivery {delivery} must both be routed or both left out")
        elif pickup in where:
            (p_vehicle, p_position), (d_vehicle, d_position) = where[pickup], where[delivery]
            if p_vehicle != d_vehicle:
                problems.append(f"pickup {pickup} and delivery {delivery} ride on different vehicles")
            elif p_position > d_position:
                problems.append(f"delivery {delivery} comes before its pickup {pickup}")
    return problems


def _route_violations(problem: Problem, stops, vehicle: Vehicle, route: Route) -> list[str]:
    problems = []
    here, clock, distance = vehicle.start_depot, route.start, 0
    load = peak = [0] * len(vehicle.capacity)
    gaps: list[tuple[int, int, int]] = []  # (free from, free until, travel needed) between consecutive events
    if route.start < vehicle.shift.start:
        problems.append(f"{vehicle.id} leaves at {route.start}, before its shift starts")
    for visit in route.visits:
        node, stop = stops[visit.stop_id]
        travel = problem.duration[here][node]
        distance += problem.distance[here][node]
        if visit.arrival < clock + travel:
            problems.append(f"{stop.id} served at {visit.arrival}, earlier than it can be reached ({clock + travel})")
        if not any(w.start <= visit.arrival <= w.end for w in stop.windows):
            problems.append(f"{stop.id} served at {visit.arrival}, outside its windows")
        if visit.departure < visit.arrival + stop.service_time:
            problems.append(f"{stop.id} left at {visit.departure}, before its service time was up")
        gaps.append((clock, visit.arrival, travel))
        clock = max(clock + travel, visit.arrival) + stop.service_time
        load = [a + b for a, b in zip(load, stop.demand, strict=True)]
        peak = [max(a, b) for a, b in zip(peak, load, strict=True)]
        here = node
    travel = problem.duration[here][vehicle.return_depot]
    distance += problem.distance[here][vehicle.return_depot]
    gaps.append((clock, route.end, travel))
    if route.end < clock + travel:
        problems.append(f"{vehicle.id} back at {route.end}, earlier than it can be ({clock + travel})")
    if route.end > vehicle.shift.end:
        problems.append(f"{vehicle.id} back at {route.end}, after its shift ends at {vehicle.shift.end}")
    for dimension, (used, capacity) in enumerate(zip(peak, vehicle.capacity, strict=True)):
        if used > capacity:
            problems.append(f"{vehicle.id} carries {used} in dimension {dimension}, capacity {capacity}")
    if distance != route.distance:
        problems.append(f"{vehicle.id} reports {route.distance} m but its stops add up to {distance} m")
    if vehicle.rest is not None:
        problems += _break_violations(vehicle, route, gaps)
    return problems


def _break_violations(vehicle: Vehicle, route: Route, gaps: list[tuple[int, int, int]]) -> list[str]:
    rest = vehicle.rest
    start = route.break_start
    if start is None and route.end <= rest.window.end:
        return []  # back before a break was due: a round shorter than the rule needs none
    if start is None or not rest.window.start <= start <= rest.window.end:
        return [f"{vehicle.id} takes no break inside {rest.window.start}..{rest.window.end}"]
    # The break must sit in one gap between services that also leaves room for the travel of that leg.
    for free_from, free_until, travel in gaps:
        if (
            free_from <= start
            and start + rest.duration <= free_until
            and free_until - free_from >= travel + rest.duration
        ):
            return []
    return [f"{vehicle.id}'s break at {start} overlaps a visit or leaves no time to drive"]
