"""Build rounds with OR-Tools: capacities, time windows, shifts, breaks, skills, locks, pickup-and-delivery pairs,
and priorities as drop penalties. Every stop ends up on exactly one route or unassigned with a reason."""

from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.solver.model import (
    Fix,
    FixKind,
    Objective,
    Plan,
    Priority,
    Problem,
    Route,
    Unassigned,
    UnassignedReason,
    Visit,
)
from routing.solver.screen import allowed_vehicles, screen

# Dropping a stop must cost more than any detour that could serve it, and an urgent stop far more than a normal
# one, so the search gives up low-priority stops first and an urgent one only when nothing else frees room.
DROP_PENALTY = {Priority.URGENT: 10**12, Priority.NORMAL: 10**9, Priority.LOW: 10**8}
DAY_SECONDS = 24 * 3600
# A van may never cost as much as a stop left out (see van_cost); a tenth of the lowest drop penalty.
VAN_COST_CAP = DROP_PENALTY[Priority.LOW] // 10
# Balanced rounds: each metre of the longest round costs this many metres of total driving.
SPAN_WEIGHT = 100
# A PyVRP iteration is one small perturbation and repair, far cheaper than an OR-Tools improving solution.
ITERATIONS_PER_SOLUTION = 40


@dataclass(frozen=True)
class SearchOptions:
    time_limit_s: float = 5.0
    # Stop after this many solutions instead of at the clock: the same input then gives the same plan.
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    # PyVRP: its random stream, and a cap on its iterations that makes the plan repeatable like solution_limit.
    seed: int = 0
    iteration_limit: int | None = None

    @property
    def iterations(self) -> int | None:
        """PyVRP's iteration cap: the one given, else one derived from the solution limit, else none (the clock)."""
        if self.iteration_limit is not None:
            return self.iteration_limit
        return None if self.solution_limit is None else ITERATIONS_PER_SOLUTION * self.solution_limit


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 5.0,
    options: SearchOptions | None = None,
    start_from: dict[str, list[str]] | None = None,
    on_solution: Callable[[], None] | None = None,
) -> Plan:
    """Plan the problem; the plan lists every stop once, on a route or as unassigned with a reason.

    `start_from` (vehicle id -> stop ids in order) is a plan already published: the search starts from it, so
    stops that need not move stay where they were, and new stops are fitted in around them. `on_solution` is
    called at each better plan the search finds, in the caller's thread (OR-Tools holds the interpreter while it
    searches, so this is where a caller can report progress)."""
    started = monotonic()
    options = options or SearchOptions(time_limit_s=time_limit_s)
    refused = screened(problem)
    candidates = [i for i in range(len(problem.stops)) if i not in refused]
    routes: list[Route] = []
    dropped: list[int] = []
    if candidates:
        routes, dropped = _Search(problem, candidates, options, started).run(start_from or {}, on_solution)
    return finished(problem, refused, routes, dropped, engine="ortools")


def screened(problem: Problem) -> dict[int, Unassigned]:
    """The stops no vehicle could serve, by index, each with its reason; a pair goes out together."""
    refused: dict[int, Unassigned] = {}
    for index, stop in enumerate(problem.stops):
        verdict = screen(problem, index)
        if verdict is not None:
            refused[index] = Unassigned(stop.id, verdict[0], verdict[1], stop.priority)
    _refuse_partners(problem, refused)
    return refused


def finished(
    problem: Problem, refused: dict[int, Unassigned], routes: list[Route], dropped: list[int], *, engine: str
) -> Plan:
    """The plan from an engine's routes: the stops it left out are explained as lacking room today."""
    refused = dict(refused)
    for index in dropped:
        stop = problem.stops[index]
        fix = Fix(FixKind.MORE_VEHICLES, problem.vehicles[allowed_vehicles(problem, stop)[0]].id)
        refused[index] = Unassigned(stop.id, UnassignedReason.NO_CAPACITY_TODAY, fix, stop.priority)
    # The planner reads the most urgent first.
    unassigned = sorted(refused.values(), key=lambda u: (u.priority, _position(problem, u.stop_id)))
    return Plan(routes=tuple(routes), unassigned=tuple(unassigned), engine=engine)


def van_cost(problem: Problem) -> int:
    """The daily cost of a van under the fewest-vans objective: about every stop's round trip from its nearest
    depot, so one van less is worth any detour, yet below dropping a stop, so no stop is left out to save a van."""
    depots = sorted({v.start_depot for v in problem.vehicles}) or [0]
    trips = sum(
        min(problem.distance[d][problem.node(i)] + problem.distance[problem.node(i)][d] for d in depots)
        for i in range(len(problem.stops))
    )
    return max(1, min(VAN_COST_CAP, trips))


def _position(problem: Problem, stop_id: str) -> int:
    return next(i for i, s in enumerate(problem.stops) if s.id == stop_id)


def _refuse_partners(problem: Problem, refused: dict[int, Unassigned]) -> None:
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    for pickup, delivery in problem.pairs:
        for this, other in ((pickup, delivery), (delivery, pickup)):
            if index_of[other] in refused and index_of[this] not in refused:
                stop = problem.stops[index_of[this]]
                refused[index_of[this]] = Unassigned(stop.id, UnassignedReason.PARTNER_UNASSIGNED, None, stop.priority)


class _Search:
    """One OR-Tools model over the depots in use and the stops that passed screening."""

    def __init__(self, problem: Problem, candidates: list[int], options: SearchOptions, started: float):
        self.problem = problem
        self.options = options
        self.started = started
        self.candidates = candidates
        depots = sorted({d for v in problem.vehicles for d in (v.start_depot, v.return_depot)})
        # Manager node -> matrix node. Depots nobody uses are left out: OR-Tools would make them stops.
        self.nodes = depots + [problem.node(i) for i in candidates]
        position = {node: n for n, node in enumerate(self.nodes)}
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.nodes),
            len(problem.vehicles),
            [position[v.start_depot] for v in problem.vehicles],
            [position[v.return_depot] for v in problem.vehicles],
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.first_stop_node = len(depots)

    def stop_index(self, manager_node: int) -> int | None:
        return self.candidates[manager_node - self.first_stop_node] if manager_node >= self.first_stop_node else None

    def run(self, start_from: dict[str, list[str]], on_solution=None) -> tuple[list["Route"], list[int]]:
        self._costs()
        time = self._time()
        loads = self._capacities()
        self._stops(time)
        self._pairs(time)
        self._vehicles(time)
        breaks = self._breaks(time)
        parameters = self._parameters()
        if on_solution is not None:
            self.routing.AddAtSolutionCallback(on_solution)
        initial = self._initial(start_from, parameters) if start_from else None
        if initial is not None:
            solution = self.routing.SolveFromAssignmentWithParameters(initial, parameters)
        else:
            solution = self.routing.SolveWithParameters(parameters)
        if solution is None:  # no first solution: leave every candidate out rather than guess
            return [], list(self.candidates)
        return self._read(solution, time, loads, breaks)

    def _matrix(self, source, extra=lambda i: 0) -> list[list[int]]:
        return [[extra(a) + source[a][b] for b in self.nodes] for a in self.nodes]

    def _costs(self) -> None:
        by_cost: dict[int, int] = {}
        extra = van_cost(self.problem) if self.problem.objective == Objective.VANS else 0
        for v, vehicle in enumerate(self.problem.vehicles):
            if vehicle.distance_cost not in by_cost:
                scaled = [[vehicle.distance_cost * d for d in row] for row in self._matrix(self.problem.distance)]
                by_cost[vehicle.distance_cost] = self.routing.RegisterTransitMatrix(scaled)
            self.routing.SetArcCostEvaluatorOfVehicle(by_cost[vehicle.distance_cost], v)
            self.routing.SetFixedCostOfVehicle(vehicle.fixed_cost + extra, v)
        if self.problem.objective == Objective.BALANCED:
            # OR-Tools' global span: the longest round's distance, weighted to outweigh the total.
            metres = self.routing.RegisterTransitMatrix(self._matrix(self.problem.distance))
            longest = sum(max(row) for row in self.problem.distance)
            self.routing.AddDimension(metres, 0, longest, True, "distance")
            self.routing.GetDimensionOrDie("distance").SetGlobalSpanCostCoefficient(SPAN_WEIGHT)

    def _service(self, matrix_node: int) -> int:
        depots = len(self.problem.depots)
        return self.problem.stops[matrix_node - depots].service_time if matrix_node >= depots else 0

    def _time(self):
        transit = self.routing.RegisterTransitMatrix(self._matrix(self.problem.duration, self._service))
        # The clock runs to the latest moment anything may happen; benchmarks scale time far beyond one day.
        horizon = max(
            [DAY_SECONDS]
            + [v.shift.end for v in self.problem.vehicles]
            + [w.end for i in self.candidates for w in self.problem.stops[i].windows]
        )
        self.routing.AddDimension(transit, horizon, horizon, False, "time")
        return self.routing.GetDimensionOrDie("time")

    def _capacities(self) -> list:
        dimensions = []
        for d in range(len(self.problem.vehicles[0].capacity)):
            demand = [0] * self.first_stop_node + [self.problem.stops[i].demand[d] for i in self.candidates]
            vector = self.routing.RegisterUnaryTransitVector(demand)
            capacities = [v.capacity[d] for v in self.problem.vehicles]
            self.routing.AddDimensionWithVehicleCapacity(vector, 0, capacities, True, f"load{d}")
            dimensions.append(self.routing.GetDimensionOrDie(f"load{d}"))
        return dimensions

    def _stops(self, time) -> None:
        everyone = len(self.problem.vehicles)
        rank = None
        if any(self.problem.stops[i].locked_position for i in self.candidates):
            steps = [0] * self.first_stop_node + [1] * len(self.candidates)
            self.routing.AddDimension(self.routing.RegisterUnaryTransitVector(steps), 0, len(steps), True, "rank")
            rank = self.routing.GetDimensionOrDie("rank")
        for offset, i in enumerate(self.candidates):
            stop = self.problem.stops[i]
            index = self.manager.NodeToIndex(self.first_stop_node + offset)
            windows = stop.windows
            cumul = time.CumulVar(index)
            cumul.SetRange(windows[0].start, windows[-1].end)
            for before, after in zip(windows, windows[1:], strict=False):
                if after.start > before.end + 1:
                    cumul.RemoveInterval(before.end + 1, after.start - 1)
            allowed = allowed_vehicles(self.problem, stop)
            if len(allowed) < everyone:
                self.routing.VehicleVar(index).SetValues([-1, *allowed])  # -1: left out
            if stop.locked_position is not None and rank is not None:
                rank.CumulVar(index).SetValue(stop.locked_position - 1)
            self.routing.AddDisjunction([index], DROP_PENALTY[stop.priority])

    def _pairs(self, time) -> None:
        offset_of = {self.problem.stops[i].id: offset for offset, i in enumerate(self.candidates)}
        solver = self.routing.solver()
        for pickup_id, delivery_id in self.problem.pairs:
            if pickup_id not in offset_of or delivery_id not in offset_of:
                continue
            pickup = self.manager.NodeToIndex(self.first_stop_node + offset_of[pickup_id])
            delivery = self.manager.NodeToIndex(self.first_stop_node + offset_of[delivery_id])
            self.routing.AddPickupAndDelivery(pickup, delivery)
            solver.Add(self.routing.ActiveVar(pickup) == self.routing.ActiveVar(delivery))
            solver.Add(self.routing.VehicleVar(pickup) == self.routing.VehicleVar(delivery))
            solver.Add(time.CumulVar(pickup) <= time.CumulVar(delivery))

    def _vehicles(self, time) -> None:
        for v, vehicle in enumerate(self.problem.vehicles):
            start, end = self.routing.Start(v), self.routing.End(v)
            time.CumulVar(start).SetRange(vehicle.shift.start, vehicle.shift.end)
            time.CumulVar(end).SetRange(vehicle.shift.start, vehicle.shift.end)
            # Finish as early as the plan allows, then leave as late as that finish allows: no idle waiting.
            self.routing.AddVariableMinimizedByFinalizer(time.CumulVar(end))
            self.routing.AddVariableMaximizedByFinalizer(time.CumulVar(start))

    def _breaks(self, time) -> dict[int, object]:
        breaks = {}
        service = [self._service(self.nodes[self.manager.IndexToNode(i)]) for i in range(self.routing.Size())]
        solver = self.routing.solver()
        for v, vehicle in enumerate(self.problem.vehicles):
            if vehicle.rest is None:
                continue
            window = vehicle.rest.window
            interval = solver.FixedDurationIntervalVar(
                window.start, window.end, vehicle.rest.duration, False, f"break {vehicle.id}"
            )
            time.SetBreakIntervalsOfVehicle([interval], v, service)
            # OR-Tools would also take the pause at the depot before the van leaves; the driver takes it on the
            # round (one after the van is back is read as no break: the round was shorter than the rule).
            solver.Add(interval.StartExpr() >= time.CumulVar(self.routing.Start(v)))
            self.routing.AddIntervalToAssignment(interval)
            breaks[v] = interval
        return breaks

    def _initial(self, start_from: dict[str, list[str]], parameters):
        """The published routes as a starting assignment; None if they no longer fit (then plan afresh)."""
        self.routing.CloseModelWithParameters(parameters)
        index_of = {self.problem.stops[i].id: self.first_stop_node + offset for offset, i in enumerate(self.candidates)}
        routes = [
            [self.manager.NodeToIndex(index_of[s]) for s in start_from.get(vehicle.id, []) if s in index_of]
            for vehicle in self.problem.vehicles
        ]
        return self.routing.ReadAssignmentFromRoutes(routes, True)

    def _parameters(self):
        parameters = pywrapcp.DefaultRoutingSearchParameters()
        parameters.first_solution_strategy = getattr(
            routing_enums_pb2.FirstSolutionStrategy, self.options.first_solution
        )
        parameters.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, self.options.metaheuristic
        )
        # The limit covers the whole call: building a model of a thousand stops takes seconds of its own, and the
        # search overruns its clock by up to one neighbourhood scan (seen: 2 s on 400 stops), so keep 5 % back.
        remaining = 0.95 * self.options.time_limit_s - (monotonic() - self.started)
        parameters.time_limit.FromMilliseconds(max(100, int(remaining * 1000)))
        if self.options.solution_limit is not None:
            parameters.solution_limit = self.options.solution_limit
        return parameters

    def _read(self, solution, time, loads, breaks) -> tuple[list[Route], list[int]]:
        routes: list[Route] = []
        served: set[int] = set()
        for v, vehicle in enumerate(self.problem.vehicles):
            index = self.routing.Start(v)
            here = self.nodes[self.manager.IndexToNode(index)]
            visits, distance = [], 0
            while not self.routing.IsEnd(index):
                index = solution.Value(self.routing.NextVar(index))
                there = self.nodes[self.manager.IndexToNode(index)]
                distance += self.problem.distance[here][there]
                here = there
                stop_index = self.stop_index(self.manager.IndexToNode(index))
                if stop_index is None:
                    continue
                stop = self.problem.stops[stop_index]
                arrival = solution.Min(time.CumulVar(index))
                visits.append(Visit(stop.id, arrival, arrival + stop.service_time))
                served.add(stop_index)
            if not visits:
                continue
            peak = tuple(
                max(solution.Min(load.CumulVar(i)) for i in self._route_indices(solution, v)) for load in loads
            )
            rest = breaks.get(v)
            end = solution.Min(time.CumulVar(self.routing.End(v)))
            break_start = solution.StartValue(rest) if rest is not None else None
            if break_start is not None and break_start >= end:
                break_start = None  # put after the van is back: the round ended before a break was due
            routes.append(
                Route(
                    vehicle_id=vehicle.id,
                    visits=tuple(visits),
                    start=solution.Min(time.CumulVar(self.routing.Start(v))),
                    end=end,
                    distance=distance,
                    load=peak,
                    break_start=break_start,
                )
            )
        return routes, [i for i in self.candidates if i not in served]

    def _route_indices(self, solution, v: int) -> list[int]:
        indices, index = [], self.routing.Start(v)
        while True:
            indices.append(index)
            if self.routing.IsEnd(index):
                return indices
            index = solution.Value(self.routing.NextVar(index))
