"""Build rounds with OR-Tools: capacities, time windows, shifts, and priorities as drop penalties."""

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.solver.model import (
    Plan,
    Priority,
    Problem,
    Route,
    Stop,
    Unassigned,
    UnassignedReason,
    Vehicle,
    Visit,
)

# Dropping a stop must always cost more than any detour that could serve it, and an urgent stop far more than
# a normal one, so the solver gives up low-priority stops first.
DROP_PENALTY = {Priority.URGENT: 10**10, Priority.NORMAL: 10**8, Priority.LOW: 10**7}
DAY_SECONDS = 24 * 3600


def solve(problem: Problem, *, time_limit_s: float = 5.0) -> Plan:
    """Return a plan in which every stop is either on exactly one route or listed as unassigned with a reason."""
    if not problem.vehicles:
        return Plan(routes=(), unassigned=tuple(Unassigned(s.id, UnassignedReason.NO_VEHICLES) for s in problem.stops))

    unassigned: list[Unassigned] = []
    candidates: list[int] = []  # matrix node of each stop handed to OR-Tools
    for node, stop in enumerate(problem.stops, start=1):
        reason = _screen(problem, node, stop)
        if reason is None:
            candidates.append(node)
        else:
            unassigned.append(Unassigned(stop.id, reason))

    if not candidates:
        return Plan(routes=(), unassigned=tuple(unassigned))

    routes, dropped = _route(problem, candidates, time_limit_s)
    unassigned.extend(Unassigned(problem.stops[node - 1].id, UnassignedReason.NO_CAPACITY_TODAY) for node in dropped)
    return Plan(routes=tuple(routes), unassigned=tuple(unassigned))


def _screen(problem: Problem, node: int, stop: Stop) -> UnassignedReason | None:
    """Explain a stop that no vehicle could serve even if it were the only stop of the day."""
    fitting = [v for v in problem.vehicles if all(d <= c for d, c in zip(stop.demand, v.capacity, strict=True))]
    if not fitting:
        return UnassignedReason.DEMAND_ABOVE_CAPACITY
    if not any(_reachable_alone(problem, node, stop, vehicle) for vehicle in fitting):
        return UnassignedReason.WINDOW_UNREACHABLE
    return None


def _reachable_alone(problem: Problem, node: int, stop: Stop, vehicle: Vehicle) -> bool:
    arrival = max(vehicle.shift.start + problem.duration[0][node], stop.window.start)
    back = arrival + stop.service_time + problem.duration[node][0]
    return arrival <= stop.window.end and back <= vehicle.shift.end


def _route(problem: Problem, candidates: list[int], time_limit_s: float) -> tuple[list[Route], list[int]]:
    nodes = [0, *candidates]  # OR-Tools node -> matrix node
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(problem.vehicles), 0)
    routing = pywrapcp.RoutingModel(manager)

    def matrix_node(index: int) -> int:
        return nodes[manager.IndexToNode(index)]

    def stop_at(node: int) -> Stop | None:
        return problem.stops[node - 1] if node else None

    def distance_cb(i: int, j: int) -> int:
        return problem.distance[matrix_node(i)][matrix_node(j)]

    def time_cb(i: int, j: int) -> int:
        origin = matrix_node(i)
        stop = stop_at(origin)
        return (stop.service_time if stop else 0) + problem.duration[origin][matrix_node(j)]

    distance_index = routing.RegisterTransitCallback(distance_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(distance_index)

    time_index = routing.RegisterTransitCallback(time_cb)
    routing.AddDimension(time_index, DAY_SECONDS, DAY_SECONDS, False, "time")
    time = routing.GetDimensionOrDie("time")

    dimensions = len(problem.vehicles[0].capacity)
    for d in range(dimensions):

        def demand_cb(i: int, d: int = d) -> int:
            stop = stop_at(matrix_node(i))
            return stop.demand[d] if stop else 0

        demand_index = routing.RegisterUnaryTransitCallback(demand_cb)
        routing.AddDimensionWithVehicleCapacity(
            demand_index, 0, [v.capacity[d] for v in problem.vehicles], True, f"load{d}"
        )

    for position, node in enumerate(candidates, start=1):
        stop = problem.stops[node - 1]
        index = manager.NodeToIndex(position)
        time.CumulVar(index).SetRange(stop.window.start, stop.window.end)
        routing.AddDisjunction([index], DROP_PENALTY[stop.priority])

    for v, vehicle in enumerate(problem.vehicles):
        start, end = routing.Start(v), routing.End(v)
        time.CumulVar(start).SetRange(vehicle.shift.start, vehicle.shift.end)
        time.CumulVar(end).SetRange(vehicle.shift.start, vehicle.shift.end)
        # Finish as early as the plan allows, then leave as late as that finish allows: no idle hours waiting.
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(end))
        routing.AddVariableMaximizedByFinalizer(time.CumulVar(start))

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))

    solution = routing.SolveWithParameters(parameters)
    if solution is None:  # no first solution: leave every candidate out rather than guess
        return [], candidates

    routes: list[Route] = []
    served: set[int] = set()
    for v, vehicle in enumerate(problem.vehicles):
        index = routing.Start(v)
        start_time = solution.Min(time.CumulVar(index))
        visits, distance = [], 0
        load = [0] * dimensions
        while not routing.IsEnd(index):
            next_index = solution.Value(routing.NextVar(index))
            distance += distance_cb(index, next_index)
            index = next_index
            node = matrix_node(index)
            if routing.IsEnd(index):
                break
            stop = problem.stops[node - 1]
            arrival = solution.Min(time.CumulVar(index))
            visits.append(Visit(stop.id, arrival, arrival + stop.service_time))
            load = [a + b for a, b in zip(load, stop.demand, strict=True)]
            served.add(node)
        if visits:
            end_time = solution.Min(time.CumulVar(routing.End(v)))
            routes.append(Route(vehicle.id, tuple(visits), start_time, end_time, distance, tuple(load)))
    dropped = [node for node in candidates if node not in served]
    return routes, dropped
