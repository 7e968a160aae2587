"""Stock OR-Tools on the same integer Problem, as its VRPTW guide writes it: the yardstick for routing.solver."""

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.solver import Plan, Problem, Route, Unassigned, UnassignedReason, Visit


def solve_baseline(problem: Problem, *, time_limit_s: float) -> Plan:
    """Every stop mandatory; PATH_CHEAPEST_ARC then guided local search; default parameters otherwise."""
    manager = pywrapcp.RoutingIndexManager(len(problem.stops) + 1, len(problem.vehicles), 0)
    routing = pywrapcp.RoutingModel(manager)
    service = (0, *(stop.service_time for stop in problem.stops))
    demand = (0, *(stop.demand[0] for stop in problem.stops))

    def distance_cb(i: int, j: int) -> int:
        return problem.distance[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i: int, j: int) -> int:
        origin = manager.IndexToNode(i)
        return service[origin] + problem.duration[origin][manager.IndexToNode(j)]

    def demand_cb(i: int) -> int:
        return demand[manager.IndexToNode(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance_cb))

    horizon = max(vehicle.shift.end for vehicle in problem.vehicles)
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for node, stop in enumerate(problem.stops, start=1):
        time.CumulVar(manager.NodeToIndex(node)).SetRange(stop.window.start, stop.window.end)
    for v, vehicle in enumerate(problem.vehicles):
        for index in (routing.Start(v), routing.End(v)):
            time.CumulVar(index).SetRange(vehicle.shift.start, vehicle.shift.end)
            routing.AddVariableMinimizedByFinalizer(time.CumulVar(index))

    capacities = [vehicle.capacity[0] for vehicle in problem.vehicles]
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb), 0, capacities, True, "load"
    )

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))

    solution = routing.SolveWithParameters(parameters)
    if solution is None:  # stock OR-Tools found no first solution in time: every stop is left out
        return Plan(
            routes=(), unassigned=tuple(Unassigned(s.id, UnassignedReason.NO_CAPACITY_TODAY) for s in problem.stops)
        )

    routes: list[Route] = []
    for v, vehicle in enumerate(problem.vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        visits: list[Visit] = []
        previous, distance, load = 0, 0, 0
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            arrival = solution.Min(time.CumulVar(index))
            visits.append(Visit(problem.stops[node - 1].id, arrival, arrival + service[node]))
            distance += problem.distance[previous][node]
            load += demand[node]
            previous = node
            index = solution.Value(routing.NextVar(index))
        if visits:
            distance += problem.distance[previous][0]
            start = solution.Min(time.CumulVar(routing.Start(v)))
            end = solution.Min(time.CumulVar(routing.End(v)))
            routes.append(Route(vehicle.id, tuple(visits), start, end, distance, (load,)))
    return Plan(routes=tuple(routes))
