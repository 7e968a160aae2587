"""Turn database rows into solver input, and the solver's plan back into rounds and stops."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from delivery.models import Stop
from inventory.models import Pack, Warehouse
from inventory.selectors import pack_sizes
from logistics.crew import Crew
from logistics.models import CREW_SKILLS, DeliveryOrder, DeliveryOrderLine, Skill, Vehicle
from requests_intake.models import PharmacyHours
from routing import solver
from routing.reasons import (
    DEPOT_SKILL,
    FIX_PHARMACY_OPEN_DAY,
    FIX_PLACE_PHARMACY,
    PHARMACY_CLOSED,
    PHARMACY_NO_LOCATION,
    PHARMACY_OPENS_LATE,
)
from routing.travel import travel_matrices

PRIORITY = {0: solver.Priority.URGENT, 1: solver.Priority.NORMAL, 2: solver.Priority.LOW}

# A pharmacy pickup is a prepared bag handed over at the counter: shorter than a visit to a home.
PICKUP_SERVICE_TIME_S = 5 * 60
# A medication order's pickup at its pharmacy is a solver stop of its own, named after the order's delivery stop.
PICKUP_SUFFIX = ":pickup"


def seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def at(date: dt.date, second_of_day: int) -> dt.datetime:
    naive = dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=second_of_day)
    return timezone.make_aware(naive)


def location(row) -> solver.Location:
    return solver.Location(float(row.latitude), float(row.longitude))


def stop_id(order_id: int, kind: str = Stop.Kind.DELIVERY) -> str:
    """The solver's id of an order's stop: the order's id for its delivery, with a suffix for its pickup."""
    return f"{order_id}{PICKUP_SUFFIX}" if kind == Stop.Kind.PICKUP else str(order_id)


def stop_order(solver_id: str) -> tuple[int, str]:
    """(order id, stop kind) of a solver stop id made by `stop_id`."""
    if solver_id.endswith(PICKUP_SUFFIX):
        return int(solver_id.removesuffix(PICKUP_SUFFIX)), Stop.Kind.PICKUP
    return int(solver_id), Stop.Kind.DELIVERY


@dataclass(frozen=True)
class Refusal:
    """Why an order was kept out of the problem before the search, with the smallest fix, as stored."""

    reason: str
    fix_kind: str = ""
    fix_value: object = None


@dataclass(frozen=True)
class DayProblem:
    """The solver's input for one day, with the rows each solver id stands for."""

    depots: list[Warehouse]
    vehicles: dict[str, Vehicle]
    orders: dict[str, DeliveryOrder]  # delivery stop id -> its order
    problem: solver.Problem
    crews: dict[str, Crew] = field(default_factory=dict)  # vehicle id -> who drives it, and when
    pickups: dict[str, DeliveryOrder] = field(default_factory=dict)  # pickup stop id -> its (medication) order
    # Orders kept out before the search, as their pharmacy rules them out that day (closed, not on the map...).
    refused: list[tuple[DeliveryOrder, Refusal]] = field(default_factory=list)

    def order_of(self, solver_id: str) -> DeliveryOrder:
        """The order a solver stop (delivery or pickup) belongs to."""
        return self.orders[stop_id(stop_order(solver_id)[0])]


@dataclass(frozen=True)
class Locks:
    """Stops held to a van before the search.

    `firm` (stop id -> vehicle id, position or None) is kept whatever it costs: the planner's locks, and the
    current plan when orders are fitted in. `preferred` (stop id -> vehicle id) is the same-driver wish, given
    up when it would leave anyone out."""

    firm: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    preferred: dict[str, str] = field(default_factory=dict)


def depot_skill(warehouse_id: int) -> str:
    # An order's stock is reserved at its warehouse, so only that warehouse's vans may carry it.
    return f"{DEPOT_SKILL}{warehouse_id}"


def order_demand(order: DeliveryOrder, sizes: dict[int, tuple[int, int]]) -> tuple[int, int, int]:
    """Grams, centilitres and packs."""
    return lines_demand([(line.pack_id, line.quantity) for line in order.lines.all()], sizes)


def lines_demand(lines: Iterable[tuple[int, int]], sizes: dict[int, tuple[int, int]]) -> tuple[int, int, int]:
    """Grams, centilitres and packs of an order's lines given as (pack id, quantity), as read by `values_list`."""
    grams = centilitres = packs = 0
    for pack_id, quantity in lines:
        grams += sizes[pack_id][0] * quantity
        centilitres += sizes[pack_id][1] * quantity
        packs += quantity
    return grams, centilitres, packs


def vehicle_capacity(vehicle: Vehicle) -> tuple[int, int, int]:
    """Grams, centilitres and packs, the units of `order_demand`."""
    return vehicle.capacity_kg * 1000, vehicle.capacity_l * 100, vehicle.capacity_packs


def all_pack_sizes() -> dict[int, tuple[int, int]]:
    return pack_sizes(Pack.objects.prefetch_related("components__item"))


# Money in the solver: whole units of 1/100,000 euro (a thousandth of a cent). A van's 90.00 € a day is
# 9,000,000 and 0.250 €/km is 25 per metre, so both are integers, and the dearest van stays far below the
# solver's smallest penalty for leaving a stop out (10**8), so no order is ever dropped to save a van.
MONEY_UNITS_PER_EURO = 100_000


def vehicle_costs(vehicle: Vehicle, objective: solver.Objective) -> tuple[int, int]:
    """(fixed cost, cost per metre) in the solver's money units; the shortest-distance objective ignores what
    a van costs for the day, as it promises km whatever the number of vans."""
    per_metre = max(1, round(vehicle.cost_per_km * MONEY_UNITS_PER_EURO / 1000))
    if objective == solver.Objective.DISTANCE:
        return 0, per_metre
    return round(vehicle.daily_cost * MONEY_UNITS_PER_EURO), per_metre


def vehicle_rest(crew: Crew) -> solver.Break | None:
    """The depot's break rule for this crew: a pause of `break_minutes` that starts within `break_after_minutes`
    of the shift's start, only when the shift is longer than that.

    The pause may not come so early that the rest of the shift runs past the rule again: it starts no sooner than
    `break_after_minutes` (plus the pause) before the shift ends. A shift too long for one pause to split into two
    lawful halves gets its pause at the rule's limit, the latest it may come."""
    depot = crew.vehicle.depot
    start, end = seconds(crew.start), seconds(crew.end)
    after, duration = depot.break_after_minutes * 60, depot.break_minutes * 60
    if depot.break_minutes == 0 or end - start <= after:
        return None
    latest = start + after
    earliest = min(latest, max(start, end - after - duration))
    return solver.Break(window=solver.TimeWindow(earliest, latest), duration=duration)


def may_carry_medication(driver) -> bool:
    return driver is not None and driver.has_perm("logistics.carry_medication")


def crew_skills(crew: Crew) -> frozenset[str]:
    """What the van can take today: its ticked skills, a crew of two, and medication only with a driver allowed
    to carry it (a ticked "medication" on the van alone is not enough)."""
    skills = set(crew.vehicle.skills) - CREW_SKILLS
    if crew.vehicle.crew_size >= 2:
        skills.add(Skill.TWO_PEOPLE)
    if may_carry_medication(crew.driver):
        skills.add(Skill.MEDICATION)
    return frozenset({depot_skill(crew.vehicle.depot_id), *skills})


def orders_skills(orders: list[DeliveryOrder]) -> dict[int, frozenset[str]]:
    """What each order needs of its van: its depot; the cold chain when an item of its packs needs it; a crew of
    two for a household flagged so; a driver allowed to carry medication when its plan names a pharmacy or a
    prescription."""
    ids = [o.pk for o in orders]
    cold = set(
        DeliveryOrderLine.objects.filter(order__in=ids, pack__components__item__cold_chain=True).values_list(
            "order_id", flat=True
        )
    )
    medication = set(
        DeliveryOrder.objects.filter(pk__in=ids)
        .filter(Q(plan__pharmacy__isnull=False) | Q(plan__prescription_ref__gt=""))
        .values_list("pk", flat=True)
    )
    needs = {}
    for order in orders:
        skills = {depot_skill(order.warehouse_id)}
        if order.pk in cold:
            skills.add(Skill.COLD_CHAIN)
        if order.household.needs_two_people:
            skills.add(Skill.TWO_PEOPLE)
        if order.pk in medication:
            skills.add(Skill.MEDICATION)
        needs[order.pk] = frozenset(skills)
    return needs


def pharmacy_spans(orders: list[DeliveryOrder], date: dt.date) -> dict[int, list[tuple[int, int]]]:
    """The opening spans (seconds from midnight, in order) on the date's weekday of the orders' pharmacies, by
    pharmacy id; an empty list is a pharmacy closed that day."""
    ids = {order.plan.pharmacy_id for order in orders if order.plan.pharmacy_id is not None}
    spans: dict[int, list[tuple[int, int]]] = {pk: [] for pk in ids}
    rows = PharmacyHours.objects.filter(pharmacy__in=ids, weekday=date.weekday()).order_by("pharmacy", "opens")
    for pharmacy_id, opens, closes in rows.values_list("pharmacy", "opens", "closes"):
        spans[pharmacy_id].append((seconds(opens), seconds(closes)))
    return spans


def _open_weekdays(pharmacy_id: int) -> list[int]:
    return sorted(set(PharmacyHours.objects.filter(pharmacy=pharmacy_id).values_list("weekday", flat=True)))


def pharmacy_refusal(order: DeliveryOrder, spans: dict[int, list[tuple[int, int]]]) -> Refusal | None:
    """Why the order's pharmacy keeps it off that day's rounds before any search, or None: a pharmacy nobody
    placed on the map cannot be driven to, and one closed that weekday cannot hand the medication over."""
    pharmacy = order.plan.pharmacy
    if pharmacy is None:
        return None
    if pharmacy.latitude is None or pharmacy.longitude is None:
        return Refusal(PHARMACY_NO_LOCATION, FIX_PLACE_PHARMACY, pharmacy.name)
    if not spans.get(pharmacy.pk):
        return Refusal(PHARMACY_CLOSED, FIX_PHARMACY_OPEN_DAY, _open_weekdays(pharmacy.pk))
    return None


def pickup_windows(spans: list[tuple[int, int]]) -> tuple[solver.TimeWindow, tuple[solver.TimeWindow, ...]]:
    """The pickup's windows from the pharmacy's spans that day: the driver arrives early enough to be served
    before the counter closes (a span shorter than that is kept whole)."""
    windows = [solver.TimeWindow(opens, max(opens, closes - PICKUP_SERVICE_TIME_S)) for opens, closes in spans]
    return windows[0], tuple(windows[1:])


def day_problem(
    *,
    crews: list[Crew],
    orders: list[DeliveryOrder],
    date: dt.date,
    objective: solver.Objective = solver.Objective.VANS,
) -> DayProblem:
    """One problem for every depot of the day, each van working its crew's hours, leaving from its depot (or
    from a start address of its own) and coming back there.

    A medication order (its plan names a pharmacy) is two stops: a pickup at the pharmacy within its opening
    hours on `date`'s weekday, then the delivery home, paired so one van does both, the pickup first. An order
    whose pharmacy cannot be visited that day is kept out, with its reason, in `DayProblem.refused`.

    Orders must have coordinates; the caller reports the others."""
    spans = pharmacy_spans(orders, date)
    refused = [(order, refusal) for order in orders if (refusal := pharmacy_refusal(order, spans)) is not None]
    kept = {order.pk for order, _refusal in refused}
    orders = [order for order in orders if order.pk not in kept]
    vehicles = [crew.vehicle for crew in crews]
    depots = sorted({v.depot for v in vehicles} | {o.warehouse for o in orders}, key=lambda w: w.pk)
    depot_index = {w.pk: i for i, w in enumerate(depots)}
    # A van with a start address of its own gets a node of its own, after the depots, as the solver's depot.
    own_starts = [v for v in vehicles if v.start_latitude is not None and v.start_longitude is not None]
    start_index = {v.pk: len(depots) + i for i, v in enumerate(own_starts)}
    sizes = all_pack_sizes()
    needs = orders_skills(orders)
    stops = [
        solver.Stop(
            id=stop_id(order.pk),
            demand=order_demand(order, sizes),
            window=solver.TimeWindow(seconds(order.window_start), seconds(order.window_end)),
            service_time=settings.ROUTING_SERVICE_TIME_S,
            priority=PRIORITY[order.priority],
            skills=needs[order.pk],
        )
        for order in orders
    ]
    points = [location(order.household) for order in orders]
    # The pickups after the deliveries: they carry nothing from the depot, and ride with their delivery's needs.
    medication = [order for order in orders if order.plan.pharmacy_id is not None]
    pairs = []
    for order in medication:
        window, more = pickup_windows(spans[order.plan.pharmacy_id])
        stops.append(
            solver.Stop(
                id=stop_id(order.pk, Stop.Kind.PICKUP),
                demand=(0, 0, 0),
                window=window,
                more_windows=more,
                service_time=PICKUP_SERVICE_TIME_S,
                priority=PRIORITY[order.priority],
                skills=needs[order.pk],
            )
        )
        points.append(location(order.plan.pharmacy))
        pairs.append((stop_id(order.pk, Stop.Kind.PICKUP), stop_id(order.pk)))
    fleet = []
    for crew in crews:
        fixed_cost, distance_cost = vehicle_costs(crew.vehicle, objective)
        fleet.append(
            solver.Vehicle(
                id=str(crew.vehicle.pk),
                capacity=vehicle_capacity(crew.vehicle),
                shift=solver.TimeWindow(seconds(crew.start), seconds(crew.end)),
                start_depot=start_index.get(crew.vehicle.pk, depot_index[crew.vehicle.depot_id]),
                skills=crew_skills(crew),
                fixed_cost=fixed_cost,
                distance_cost=distance_cost,
                rest=vehicle_rest(crew),
            )
        )
    starts = [location(w) for w in depots] + [
        solver.Location(float(v.start_latitude), float(v.start_longitude)) for v in own_starts
    ]
    distance, duration = travel_matrices(starts + points)
    late = _opens_too_late(stops, pairs, duration, len(starts))
    if late:
        # Kept out before the search, which would only say the vans were full: the rule that bites is the hours.
        refused += [(order, late[stop_id(order.pk)]) for order in medication if stop_id(order.pk) in late]
        dropped = {solver_id for pair in pairs if pair[1] in late for solver_id in pair}
        keep = list(range(len(starts))) + [len(starts) + i for i, s in enumerate(stops) if s.id not in dropped]
        distance = tuple(tuple(distance[a][b] for b in keep) for a in keep)
        duration = tuple(tuple(duration[a][b] for b in keep) for a in keep)
        stops = [s for s in stops if s.id not in dropped]
        pairs = [pair for pair in pairs if pair[1] not in late]
        orders = [order for order in orders if stop_id(order.pk) not in late]
        medication = [order for order in medication if stop_id(order.pk) not in late]
    problem = solver.Problem(
        vehicles=tuple(fleet),
        stops=tuple(stops),
        distance=distance,
        duration=duration,
        depots=tuple(solver.Depot(str(w.pk)) for w in depots)
        + tuple(solver.Depot(f"start:{v.pk}") for v in own_starts),
        pairs=tuple(pairs),
        objective=objective,
    )
    return DayProblem(
        depots=depots,
        vehicles={str(v.pk): v for v in vehicles},
        orders={stop_id(o.pk): o for o in orders},
        problem=problem,
        crews={str(crew.vehicle.pk): crew for crew in crews},
        pickups={stop_id(o.pk, Stop.Kind.PICKUP): o for o in medication},
        refused=refused,
    )


def _opens_too_late(stops: list[solver.Stop], pairs, duration, first_node: int) -> dict[str, Refusal]:
    """Deliveries that no van could make in their window even straight from the pharmacy as it first opens, by
    delivery stop id, with the window end that would do: a bound no plan can beat, so nothing placeable is lost."""
    index = {s.id: i for i, s in enumerate(stops)}
    late = {}
    for pickup_id, delivery_id in pairs:
        pickup, delivery = stops[index[pickup_id]], stops[index[delivery_id]]
        travel = duration[first_node + index[pickup_id]][first_node + index[delivery_id]]
        earliest = pickup.windows[0].start + pickup.service_time + travel
        if earliest > delivery.windows[-1].end:
            late[delivery_id] = Refusal(PHARMACY_OPENS_LATE, solver.FixKind.WIDEN_WINDOW.value, earliest)
    return late


def with_locks(problem: solver.Problem, locks: dict[str, tuple[str, int | None]]) -> solver.Problem:
    """The problem with each named stop held to its vehicle (and position, where one is given)."""
    stops = tuple(
        replace(stop, locked_vehicle=locks[stop.id][0], locked_position=locks[stop.id][1]) if stop.id in locks else stop
        for stop in problem.stops
    )
    return replace(problem, stops=stops)


def planner_locks(day: DayProblem, date: dt.date) -> dict[str, tuple[str, int | None]]:
    """Stops the planner locked on the day's current plan, held to their van and place.

    A locked medication delivery takes its pickup along to the van (and a locked pickup its delivery), since one
    van does both; the partner keeps no place of its own unless it is locked too. A stop whose van is not out that
    day is left free: the lock cannot be kept, and the order still needs a van."""
    rows = Stop.objects.filter(round__date=date, locked=True).values_list(
        "order_id", "kind", "round__vehicle_id", "sequence"
    )
    known = {s.id for s in day.problem.stops}
    locks = {
        stop_id(order_id, kind): (str(vehicle_id), sequence)
        for order_id, kind, vehicle_id, sequence in rows
        if str(vehicle_id) in day.crews
    }
    partners = {pickup: delivery for pickup, delivery in day.problem.pairs}
    partners.update({delivery: pickup for pickup, delivery in day.problem.pairs})
    for held, (vehicle_id, _place) in list(locks.items()):
        partner = partners.get(held)
        if partner is not None and partner not in locks:
            locks[partner] = (vehicle_id, None)
    return {held: lock for held, lock in locks.items() if held in known}


def same_driver_locks(day: DayProblem) -> dict[str, str]:
    """Stops of households that keep their driver, held to the van that driver drives today.

    The driver is the one of the household's last delivered stop; nothing is held when that driver does not
    work today or drives a van that could not carry the order."""
    stops_of: dict[int, list[str]] = {}
    for held, order in {**day.orders, **day.pickups}.items():
        if order.household.same_driver:
            stops_of.setdefault(order.household_id, []).append(held)
    if not stops_of:
        return {}
    van_of = {crew.driver.pk: vehicle_id for vehicle_id, crew in day.crews.items() if crew.driver is not None}
    delivered = (
        Stop.objects.filter(order__household__in=stops_of, outcome=Stop.Outcome.DELIVERED)
        .order_by("order__household", "-round__date", "-recorded_at")
        .values_list("order__household", "round__driver")
    )
    last_driver: dict[int, int | None] = {}
    for household_id, driver_id in delivered:
        last_driver.setdefault(household_id, driver_id)
    fleet = {v.id: v for v in day.problem.vehicles}
    needs = {s.id: s.skills for s in day.problem.stops}
    locks = {}
    for household_id, stop_ids in stops_of.items():
        vehicle_id = van_of.get(last_driver.get(household_id))
        for held in stop_ids:
            if vehicle_id is not None and needs[held] <= fleet[vehicle_id].skills:
                locks[held] = vehicle_id
    return locks
