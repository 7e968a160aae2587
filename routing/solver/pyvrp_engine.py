"""Build rounds with PyVRP: capacities, time windows (several per stop as a group of alternatives), shifts,
multiple depots, skills (as routing profiles), priorities as prizes and the fleet's cost.

Pickup-and-delivery pairs are PyVRP shipments. PyVRP cannot express breaks, locks or a paired stop with several
windows; `unsupported` names them so the dispatcher (engine.py) sends such a problem to OR-Tools.

Loads: PyVRP carries a shipment only from its pickup to its delivery, while our rule (the checker's, and OR-Tools')
counts every stop's demand against the van for the whole round. A PyVRP plan that packs a pharmacy bag into a van
the rule calls full is caught by the checker and loses to the other search.
"""

import warnings
from time import monotonic

import numpy as np
import pyvrp
from pyvrp.stop import FirstFeasible, MaxIterations, MaxRuntime, MultipleCriteria

from routing.solver.model import Objective, Plan, Problem, Route, Stop, UnassignedReason, Vehicle, Visit
from routing.solver.solve import DROP_PENALTY, finished, screened, van_cost

# An edge a vehicle may not take (a stop it lacks the skills for): longer and slower than any day, so a route
# using it breaks its shift and PyVRP never keeps it in a feasible plan.
FORBIDDEN = 10**9
# When a search with every stop required finds no plan, the search that may leave stops out gets this share of
# the time limit on top of it.
RETRY_SHARE = 0.3
# Fewest vans by fleet minimisation: this share of the time looks for the smallest fleet that still serves every
# stop, the rest shortens the routes of that fleet.
FLEET_SHARE = 0.5


def unsupported(problem: Problem) -> list[str]:
    """What in the problem PyVRP cannot model, in words; empty when PyVRP can plan it whole."""
    found = []
    if any(v.rest is not None for v in problem.vehicles):
        found.append("breaks")
    if any(s.locked_vehicle is not None for s in problem.stops):
        found.append("locked stops")
    paired = {stop_id for pair in problem.pairs for stop_id in pair}
    if any(s.more_windows for s in problem.stops if s.id in paired):
        found.append("pickup-and-delivery pairs with several windows")
    if problem.objective == Objective.BALANCED:
        found.append("balanced rounds (PyVRP has no longest-round objective)")
    return found


def solve_pyvrp(
    problem: Problem,
    *,
    time_limit_s: float,
    seed: int = 0,
    iterations: int | None = None,
    started: float | None = None,
    minimise_fleet: bool = False,
) -> Plan | None:
    """Plan the problem with PyVRP; None when it found no plan that keeps every rule (the caller falls back).

    With `minimise_fleet` (fewest vans, a fleet of one kind), a share of the time first looks for the smallest
    fleet that serves every stop, then the routes of that fleet are shortened; otherwise a van's fixed cost
    (the objective's) is what keeps vans off the road."""
    started = monotonic() if started is None else started
    refused = screened(problem)
    candidates = [i for i in range(len(problem.stops)) if i not in refused]
    routes: list[Route] = []
    dropped: list[int] = []
    if candidates:
        # Optional stops (a prize each) let PyVRP leave some out on an over-full day, but they make its search
        # measurably weaker (1.4 % longer on CVRPLIB X at 10 s). When the fleet has room for every stop, all are
        # required first; only if no plan then serves them all does an optional search follow, for a further
        # RETRY_SHARE of the time.
        budget = max(0.05, time_limit_s - (monotonic() - started))
        attempts = [(False, budget)]
        if _room_for_all(problem, candidates):
            attempts = [(True, budget), (False, max(0.05, RETRY_SHARE * time_limit_s))]
        for required, seconds in attempts:
            translation = _Translation(problem, candidates, required=required)
            if required and minimise_fleet and _fleet_of_one_kind(translation.data):
                best = _fewest_vans_search(translation.data, seconds, seed, iterations)
            else:
                best = _search(translation.data, seconds, seed, iterations)
            read = translation.read(best) if best.is_feasible() else None
            if read is not None:
                break
        else:
            return None
        routes, dropped = read
    return finished(problem, refused, routes, dropped, engine="pyvrp")


def improve_pyvrp(
    problem: Problem, plan: Plan, *, time_limit_s: float, seed: int = 0, iterations: int | None = None
) -> Plan | None:
    """PyVRP's search over the whole problem, starting from the plan's routes (a large day's parts, put side by
    side): routes of neighbouring parts merge and swap stops, so the day needs fewer vans and less driving. None
    when PyVRP cannot model the problem or finds no plan that keeps every rule."""
    if unsupported(problem):
        return None
    started = monotonic()
    refused = screened(problem)
    candidates = [i for i in range(len(problem.stops)) if i not in refused]
    if not candidates:
        return None
    # Required stops search best; a day whose plan left stops out for lack of room keeps them optional.
    short = any(u.reason == UnassignedReason.NO_CAPACITY_TODAY for u in plan.unassigned)
    translation = _Translation(problem, candidates, required=not short and _room_for_all(problem, candidates))
    initial = translation.solution(plan)
    best = _search(
        translation.data, max(0.05, time_limit_s - (monotonic() - started)), seed, iterations, initial=initial
    )
    read = translation.read(best) if best.is_feasible() else None
    if read is None:
        return None
    return finished(problem, refused, *read, engine="pyvrp")


def fleet_minimisable(problem: Problem) -> bool:
    """Whether PyVRP's fleet minimisation applies: one kind of vehicle, room for every stop, one window each."""
    kinds = {(_vehicle_key(v), v.skills) for v in problem.vehicles}
    refused = screened(problem)
    candidates = [i for i in range(len(problem.stops)) if i not in refused]
    return len(kinds) == 1 and bool(candidates) and _room_for_all(problem, candidates)


def _room_for_all(problem: Problem, candidates: list[int]) -> bool:
    """Whether the fleet's capacity covers every stop's demand, in every dimension, and no stop has two windows."""
    if any(problem.stops[i].more_windows for i in candidates):
        return False
    dimensions = range(len(problem.vehicles[0].capacity))
    return all(
        sum(problem.stops[i].demand[d] for i in candidates) <= sum(v.capacity[d] for v in problem.vehicles)
        for d in dimensions
    )


def _stop(seconds: float, iterations: int | None):
    stop = MaxRuntime(seconds)
    if iterations is not None:
        stop = MultipleCriteria([MaxIterations(iterations), stop])
    return stop


def _search(
    data: pyvrp.ProblemData,
    seconds: float,
    seed: int,
    iterations: int | None,
    *,
    initial: pyvrp.Solution | None = None,
) -> pyvrp.Solution:
    with warnings.catch_warnings():
        # PyVRP warns when its penalties peak; an over-full day does that, and the plan says what was left out.
        warnings.simplefilter("ignore")
        stop = _stop(seconds, iterations)
        return pyvrp.solve(data, stop, seed=seed, collect_stats=False, display=False, initial_solution=initial).best


def _fleet_of_one_kind(data: pyvrp.ProblemData) -> bool:
    """PyVRP's fleet minimisation takes one vehicle type and required clients only."""
    return data.num_vehicle_types == 1 and data.num_groups == 0 and all(c.required for c in data.clients())


def _fewest_vans_search(data: pyvrp.ProblemData, seconds: float, seed: int, iterations: int | None) -> pyvrp.Solution:
    """Fleet minimisation as PyVRP's `minimise_fleet` does it (one van fewer at a time, each search stopping at
    its first plan that keeps every rule), for FLEET_SHARE of the time; then the routes of the smallest fleet
    found, searched from the plan that fleet was found with, so the search never loses it."""
    started = monotonic()
    share = None if iterations is None else max(1, int(FLEET_SHARE * iterations))
    clock = _stop(FLEET_SHARE * seconds, share)
    fleet, smallest = data.vehicle_type(0), None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while fleet.num_available > _fewest_possible(data):
            trial = data.replace(vehicle_types=[fleet.replace(num_available=fleet.num_available - 1)])
            found = pyvrp.solve(
                trial, MultipleCriteria([FirstFeasible(), clock]), seed=seed, collect_stats=False, display=False
            ).best
            if not found.is_feasible():
                break
            # A plan that leaves vans unused lets the fleet shrink to the vans it uses.
            fleet, smallest = fleet.replace(num_available=min(found.num_routes(), fleet.num_available - 1)), found
            if clock(0):
                break
    left = max(0.05, seconds - (monotonic() - started))
    rest = None if iterations is None else max(1, iterations - share)
    if smallest is None:
        return _search(data, left, seed, rest)
    fewer = data.replace(vehicle_types=[fleet])
    routes = [
        pyvrp.Route(fewer, [pyvrp.Activity(a.type, a.idx) for a in route.schedule() if not a.is_depot()], 0)
        for route in smallest.routes()
    ]
    return _search(fewer, left, seed, rest, initial=pyvrp.Solution(fewer, routes))


def _fewest_possible(data: pyvrp.ProblemData) -> int:
    """Vans the loads alone need: the total demand over one van's capacity, in the tightest dimension."""
    vehicle = data.vehicle_type(0)
    return max(
        [1]
        + [
            -(-sum(c.delivery[d] for c in data.clients()) // max(1, vehicle.capacity[d]))
            for d in range(data.num_load_dimensions)
        ]
    )


class _Translation:
    """Problem -> pyvrp.ProblemData over the depots and the stops that passed screening, and back."""

    def __init__(self, problem: Problem, candidates: list[int], *, required: bool = False):
        self.problem = problem
        self.required = required
        self.candidates = candidates
        depots = list(range(len(problem.depots)))
        nodes = depots + [problem.node(i) for i in candidates]
        distance = np.asarray(problem.distance, dtype=np.int64)[np.ix_(nodes, nodes)]
        duration = np.asarray(problem.duration, dtype=np.int64)[np.ix_(nodes, nodes)]
        locations = [pyvrp.Location(0, 0) for _ in nodes]  # PyVRP reads only the matrices
        clients: list[pyvrp.Client] = []
        groups: list[pyvrp.ClientGroup] = []
        self.client_stop: list[int] = []  # PyVRP client index -> stop index
        self.shipment_stops: list[tuple[int, int]] = []  # PyVRP shipment index -> (pickup, delivery) stop indices
        location_of = {i: len(depots) + offset for offset, i in enumerate(candidates)}
        index_of = {s.id: i for i, s in enumerate(problem.stops)}
        shipments: list[pyvrp.Shipment] = []
        paired: set[int] = set()
        for pickup_id, delivery_id in problem.pairs:
            pickup, delivery = index_of[pickup_id], index_of[delivery_id]
            if pickup in location_of and delivery in location_of:  # screening refuses both or neither
                shipments.append(self._shipment(problem.stops[pickup], problem.stops[delivery], location_of))
                self.shipment_stops.append((pickup, delivery))
                paired.update((pickup, delivery))
        for offset, i in enumerate(candidates):
            if i in paired:
                continue
            stop = problem.stops[i]
            windows = stop.windows
            group = len(groups) if len(windows) > 1 else None
            members = []
            for window in windows:
                members.append(len(clients))
                clients.append(self._client(stop, len(depots) + offset, window.start, window.end, group))
                self.client_stop.append(i)
            if group is not None:
                # One visit in one of the windows, or none: a mutually exclusive, optional group.
                groups.append(pyvrp.ClientGroup(members, required=False))

        # Skills: a vehicle that lacks a stop's skills gets a profile whose edges to that stop are forbidden.
        profiles: dict[frozenset[int], int] = {frozenset(): 0}
        distances, durations = [distance], [duration]
        self.types: list[list[int]] = []  # vehicle type -> problem vehicle indices
        keys: dict[tuple, int] = {}
        vehicle_types: list[pyvrp.VehicleType] = []
        extra = van_cost(problem) if problem.objective == Objective.VANS else 0
        self.headroom = _headroom(problem, self.shipment_stops)
        for v, vehicle in enumerate(problem.vehicles):
            barred = frozenset(
                len(depots) + offset
                for offset, i in enumerate(candidates)
                if not problem.stops[i].skills <= vehicle.skills
            )
            if barred not in profiles:
                profiles[barred] = len(distances)
                rows = sorted(barred)
                for source, matrix in ((distance, distances), (duration, durations)):
                    forbidden = source.copy()
                    forbidden[rows, :] = FORBIDDEN
                    forbidden[:, rows] = FORBIDDEN
                    np.fill_diagonal(forbidden, 0)
                    matrix.append(forbidden)
            key = (_vehicle_key(vehicle), profiles[barred])
            if key not in keys:
                keys[key] = len(vehicle_types)
                self.types.append([])
                vehicle_types.append(self._vehicle_type(vehicle, profiles[barred], extra))
            self.types[keys[key]].append(v)
        vehicle_types = [
            _with_count(vehicle_type, len(members))
            for vehicle_type, members in zip(vehicle_types, self.types, strict=True)
        ]
        self.data = pyvrp.ProblemData(
            locations=locations,
            clients=clients,
            depots=[pyvrp.Depot(location=d) for d in depots],
            vehicle_types=vehicle_types,
            distance_matrices=distances,
            duration_matrices=durations,
            groups=groups,
            shipments=shipments,
        )

    def _shipment(self, pickup: Stop, delivery: Stop, location_of: dict[int, int]) -> pyvrp.Shipment:
        index_of = {s.id: i for i, s in enumerate(self.problem.stops)}
        return pyvrp.Shipment(
            pickup_location=location_of[index_of[pickup.id]],
            delivery_location=location_of[index_of[delivery.id]],
            pickup_tw_early=pickup.window.start,
            pickup_tw_late=pickup.window.end,
            pickup_service_duration=pickup.service_time,
            delivery_tw_early=delivery.window.start,
            delivery_tw_late=delivery.window.end,
            delivery_service_duration=delivery.service_time,
            amount=[a + b for a, b in zip(pickup.demand, delivery.demand, strict=True)],
            prize=0 if self.required else DROP_PENALTY[pickup.priority] + DROP_PENALTY[delivery.priority],
            required=self.required,
        )

    def _client(self, stop: Stop, location: int, early: int, late: int, group: int | None) -> pyvrp.Client:
        # An optional stop may be left out at the price the OR-Tools model charges, so both engines weigh a
        # dropped stop against the fleet's cost alike and give up low priorities first.
        return pyvrp.Client(
            location=location,
            delivery=list(stop.demand),
            service_duration=stop.service_time,
            tw_early=early,
            tw_late=late,
            prize=0 if self.required else DROP_PENALTY[stop.priority],
            required=self.required,
            group=group,
        )

    def _vehicle_type(self, vehicle: Vehicle, profile: int, extra: int) -> pyvrp.VehicleType:
        return pyvrp.VehicleType(
            num_available=1,
            capacity=[max(0, c - h) for c, h in zip(vehicle.capacity, self.headroom, strict=True)],
            start_depot=vehicle.start_depot,
            end_depot=vehicle.return_depot,
            fixed_cost=vehicle.fixed_cost + extra,
            tw_early=vehicle.shift.start,
            tw_late=vehicle.shift.end,
            unit_distance_cost=vehicle.distance_cost,
            profile=profile,
        )

    def solution(self, plan: Plan) -> pyvrp.Solution:
        """The plan's routes as a PyVRP solution (each visit as the client of the window it is served in)."""
        clients: dict[int, list[int]] = {}
        for client, i in enumerate(self.client_stop):
            clients.setdefault(i, []).append(client)
        index_of = {s.id: i for i, s in enumerate(self.problem.stops)}
        type_of = {self.problem.vehicles[v].id: t for t, members in enumerate(self.types) for v in members}
        steps = {}
        for shipment, (pickup, delivery) in enumerate(self.shipment_stops):
            steps[pickup] = pyvrp.Activity(pyvrp.ActivityType.PICKUP, shipment)
            steps[delivery] = pyvrp.Activity(pyvrp.ActivityType.DELIVERY, shipment)
        routes = []
        for route in plan.routes:
            activities = []
            for visit in route.visits:
                if index_of[visit.stop_id] in steps:
                    activities.append(steps[index_of[visit.stop_id]])
                    continue
                options = clients.get(index_of[visit.stop_id], [])
                if not options:
                    continue  # screened out since (cannot happen for a plan of this problem)
                data_clients = [self.data.client(c) for c in options]
                chosen = next(
                    (c for c, d in zip(options, data_clients, strict=True) if d.tw_early <= visit.arrival <= d.tw_late),
                    options[0],
                )
                activities.append(pyvrp.Activity(pyvrp.ActivityType.CLIENT, chosen))
            if activities:
                routes.append(pyvrp.Route(self.data, activities, type_of[route.vehicle_id]))
        return pyvrp.Solution(self.data, routes)

    def _stop_of(self, activity) -> int:
        if activity.is_client():
            return self.client_stop[activity.idx]
        pickup, delivery = self.shipment_stops[activity.idx]
        return pickup if activity.is_pickup() else delivery

    def read(self, solution: pyvrp.Solution) -> tuple[list[Route], list[int]] | None:
        """Routes timed on our own matrices, and the stops left out; None if a route does not keep its windows."""
        free = [list(members) for members in self.types]
        routes: list[Route] = []
        served: set[int] = set()
        for pyvrp_route in solution.routes():
            vehicle = self.problem.vehicles[free[pyvrp_route.vehicle_type()].pop(0)]
            order = [self._stop_of(activity) for activity in pyvrp_route.schedule() if not activity.is_depot()]
            if not order:
                continue
            route = timed_route(self.problem, vehicle, order)
            if route is None:
                return None
            routes.append(route)
            served.update(order)
        dropped = [i for i in self.candidates if i not in served]
        if not self.shipment_stops:
            return routes, dropped
        return fit_pairs(self.problem, routes, dropped, self.shipment_stops)


def _headroom(problem: Problem, pairs: list[tuple[int, int]]) -> tuple[int, ...]:
    """Room kept free in every van for one pharmacy bag, so that a round with one pair keeps our load rule (see
    fit_pairs); none where that room would leave a stop too big for any van."""
    dimensions = len(problem.vehicles[0].capacity) if problem.vehicles else 0
    if not pairs:
        return (0,) * dimensions
    room = tuple(max(_demand(problem, pair)[d] for pair in pairs) for d in range(dimensions))
    largest = [max(v.capacity[d] for v in problem.vehicles) for d in range(dimensions)]
    if any(stop.demand[d] + room[d] > largest[d] for stop in problem.stops for d in range(dimensions)):
        return (0,) * dimensions
    return room


# A pair taken off a round is tried on this many rounds with room for it, those passing nearest its pickup.
NEAREST_ROUNDS = 3
# ...and timed at no more than this many of its cheapest insertions on each.
TIMED_INSERTIONS = 200


def fit_pairs(
    problem: Problem, routes: list[Route], dropped: list[int], pairs: list[tuple[int, int]]
) -> tuple[list[Route], list[int]] | None:
    """Our load rule for PyVRP's plan. PyVRP carries a pharmacy bag only from the pharmacy to the home; our rule
    (the checker's and OR-Tools') counts every stop's demand against the van for the whole round. A round over
    capacity by our rule gives up its heaviest pairs until it fits; each goes where it fits at the least extra
    distance (on one of the nearest rounds, else on a van with no round), or is left out. None if a round cannot
    be timed without them (the caller then has no PyVRP plan)."""
    index_of = {s.id: i for i, s in enumerate(problem.stops)}
    vehicles = {v.id: v for v in problem.vehicles}
    pair_of = {stop: pair for pair in pairs for stop in pair}
    taken: list[tuple[int, int]] = []
    fitted: list[Route] = []
    for route in routes:
        vehicle = vehicles[route.vehicle_id]
        order = [index_of[visit.stop_id] for visit in route.visits]
        own = sorted({pair_of[i] for i in order if i in pair_of}, key=lambda pair: _demand(problem, pair))
        while own and not _fits(route.load, vehicle.capacity):
            pair = own.pop()  # the heaviest
            order = [i for i in order if i not in pair]
            taken.append(pair)
            if not order:
                route = None
                break
            route = timed_route(problem, vehicle, order)
            if route is None:
                return None
        if route is not None:
            fitted.append(route)
    for pair in taken:
        if not _insert_pair(problem, fitted, pair, index_of):
            dropped = [*dropped, *pair]
    return fitted, dropped


def _insert_pair(problem: Problem, routes: list[Route], pair: tuple[int, int], index_of: dict[str, int]) -> bool:
    """Put the pair on the round where it adds the least distance, else on an idle van; False if nowhere."""
    pickup, delivery = pair
    stops = (problem.stops[pickup], problem.stops[delivery])
    demand = _demand(problem, pair)
    vehicles = {v.id: v for v in problem.vehicles}
    node = problem.node(pickup)

    def near(route: Route) -> int:
        return min(problem.distance[node][problem.node(index_of[v.stop_id])] for v in route.visits)

    def room(route: Route) -> bool:
        vehicle = vehicles[route.vehicle_id]
        load = tuple(a + b for a, b in zip(route.load, demand, strict=True))
        return _fits(load, vehicle.capacity) and all(s.skills <= vehicle.skills for s in stops)

    best: tuple[int, int, Route] | None = None
    roomy = [r for r in range(len(routes)) if room(routes[r])]
    for r in sorted(roomy, key=lambda r: near(routes[r]))[:NEAREST_ROUNDS]:
        route, vehicle = routes[r], vehicles[routes[r].vehicle_id]
        order = [index_of[visit.stop_id] for visit in route.visits]
        # Every insertion priced on the distance matrix alone, then timed cheapest first until one keeps the
        # windows (timing each of the ~n² insertions took seconds per pair on a city day).
        for added, i, j in _insertions(problem, vehicle, order, pickup, delivery)[:TIMED_INSERTIONS]:
            if best is not None and added >= best[0]:
                break
            timed = timed_route(problem, vehicle, [*order[:i], pickup, *order[i:j], delivery, *order[j:]])
            if timed is not None:
                best = (timed.distance - route.distance, r, timed)
                break
    if best is not None:
        routes[best[1]] = best[2]
        return True
    used = {route.vehicle_id for route in routes}
    for vehicle in problem.vehicles:
        if vehicle.id in used or not all(s.skills <= vehicle.skills for s in stops):
            continue
        timed = timed_route(problem, vehicle, [pickup, delivery])
        if timed is not None and _fits(timed.load, vehicle.capacity):
            routes.append(timed)
            return True
    return False


def _insertions(
    problem: Problem, vehicle: Vehicle, order: list[int], pickup: int, delivery: int
) -> list[tuple[int, int, int]]:
    """(distance added, i, j) for the pickup before order[i] and the delivery before order[j], cheapest first."""
    d = problem.distance
    nodes = [vehicle.start_depot, *(problem.node(k) for k in order), vehicle.return_depot]
    p, q = problem.node(pickup), problem.node(delivery)
    found = []
    for i in range(len(order) + 1):
        a, b = nodes[i], nodes[i + 1]
        for j in range(i, len(order) + 1):
            if i == j:  # pickup then delivery between the same two nodes
                added = d[a][p] + d[p][q] + d[q][b] - d[a][b]
            else:
                c, e = nodes[j], nodes[j + 1]
                added = d[a][p] + d[p][b] - d[a][b] + d[c][q] + d[q][e] - d[c][e]
            found.append((added, i, j))
    found.sort()
    return found


def _fits(load: tuple[int, ...], capacity: tuple[int, ...]) -> bool:
    return all(a <= c for a, c in zip(load, capacity, strict=True))


def _demand(problem: Problem, pair: tuple[int, int]) -> tuple[int, ...]:
    pickup, delivery = problem.stops[pair[0]], problem.stops[pair[1]]
    return tuple(a + b for a, b in zip(pickup.demand, delivery.demand, strict=True))


def timed_route(problem: Problem, vehicle: Vehicle, order: list[int]) -> Route | None:
    """The route through the stops in `order`, each served as early as it can be, leaving the depot as late as
    the first visit allows; None if a window or the shift cannot be kept."""
    here, clock, distance = vehicle.start_depot, vehicle.shift.start, 0
    visits: list[Visit] = []
    load = [0] * len(vehicle.capacity)
    start = vehicle.shift.start
    for i in order:
        stop, node = problem.stops[i], problem.node(i)
        reach = clock + problem.duration[here][node]
        window = next((w for w in stop.windows if w.end >= reach), None)
        if window is None:
            return None
        arrival = max(reach, window.start)
        if not visits:
            start = arrival - problem.duration[here][node]
        visits.append(Visit(stop.id, arrival, arrival + stop.service_time))
        distance += problem.distance[here][node]
        load = [a + b for a, b in zip(load, stop.demand, strict=True)]
        here, clock = node, arrival + stop.service_time
    end = clock + problem.duration[here][vehicle.return_depot]
    if end > vehicle.shift.end:
        return None
    distance += problem.distance[here][vehicle.return_depot]
    return Route(vehicle.id, tuple(visits), start, end, distance, tuple(load))


def _vehicle_key(vehicle: Vehicle) -> tuple:
    return (
        vehicle.capacity,
        vehicle.shift,
        vehicle.start_depot,
        vehicle.return_depot,
        vehicle.fixed_cost,
        vehicle.distance_cost,
    )


def _with_count(vehicle_type: pyvrp.VehicleType, count: int) -> pyvrp.VehicleType:
    return vehicle_type.replace(num_available=count)
