"""An independent check of a plan against its problem, written apart from the solver so it can catch it out."""

from collections import Counter

from routing.solver.model import Plan, Problem


def plan_violations(problem: Problem, plan: Plan) -> list[str]:
    """Return every broken rule in words; an empty list means the plan is valid."""
    problems: list[str] = []
    stops = {s.id: (node, s) for node, s in enumerate(problem.stops, start=1)}
    vehicles = {v.id: v for v in problem.vehicles}
    seen: list[str] = []
    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            problems.append(f"route uses unknown vehicle {route.vehicle_id}")
            continue
        clock, here, distance = route.start, 0, 0
        load = [0] * len(vehicle.capacity)
        if route.start < vehicle.shift.start:
            problems.append(f"{vehicle.id} leaves at {route.start}, before its shift starts")
        for visit in route.visits:
            node, stop = stops[visit.stop_id]
            seen.append(stop.id)
            clock = max(clock + problem.duration[here][node], stop.window.start)
            distance += problem.distance[here][node]
            if visit.arrival < clock:
                problems.append(f"{stop.id} reached at {visit.arrival}, earlier than possible ({clock})")
            clock = max(clock, visit.arrival)
            if clock > stop.window.end:
                problems.append(f"{stop.id} served at {clock}, after its window closes at {stop.window.end}")
            clock += stop.service_time
            load = [a + b for a, b in zip(load, stop.demand, strict=True)]
            here = node
        clock += problem.duration[here][0]
        distance += problem.distance[here][0]
        if clock > vehicle.shift.end:
            problems.append(f"{vehicle.id} back at {clock}, after its shift ends at {vehicle.shift.end}")
        for dimension, (used, capacity) in enumerate(zip(load, vehicle.capacity, strict=True)):
            if used > capacity:
                problems.append(f"{vehicle.id} carries {used} in dimension {dimension}, capacity {capacity}")
        if distance != route.distance:
            problems.append(f"{vehicle.id} reports {route.distance} m but its stops add up to {distance} m")
    seen.extend(u.stop_id for u in plan.unassigned)
    counts = Counter(seen)
    for stop_id in stops:
        count = counts[stop_id]
        if count != 1:
            problems.append(f"{stop_id} appears {count} times (must be exactly once, routed or unassigned)")
    return problems
