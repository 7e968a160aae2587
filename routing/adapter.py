"""Turn database rows into solver input, and the solver's plan back into rounds and stops."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from inventory.models import Pack, Warehouse
from inventory.selectors import pack_sizes
from logistics.models import DeliveryOrder, Vehicle
from routing import solver
from routing.reasons import DEPOT_SKILL
from routing.travel import travel_matrices

PRIORITY = {0: solver.Priority.URGENT, 1: solver.Priority.NORMAL, 2: solver.Priority.LOW}


def seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def at(date: dt.date, second_of_day: int) -> dt.datetime:
    naive = dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=second_of_day)
    return timezone.make_aware(naive)


def location(row) -> solver.Location:
    return solver.Location(float(row.latitude), float(row.longitude))


@dataclass(frozen=True)
class DayProblem:
    """The solver's input for one day, with the rows each solver id stands for."""

    depots: list[Warehouse]
    vehicles: dict[str, Vehicle]
    orders: dict[str, DeliveryOrder]
    problem: solver.Problem


def depot_skill(warehouse_id: int) -> str:
    # An order's stock is reserved at its warehouse, so only that warehouse's vans may carry it.
    return f"{DEPOT_SKILL}{warehouse_id}"


def order_demand(order: DeliveryOrder, sizes: dict[int, tuple[int, int]]) -> tuple[int, int, int]:
    """Grams, centilitres and packs."""
    lines = order.lines.all()
    return (
        sum(sizes[line.pack_id][0] * line.quantity for line in lines),
        sum(sizes[line.pack_id][1] * line.quantity for line in lines),
        sum(line.quantity for line in lines),
    )


def day_problem(*, vehicles: list[Vehicle], orders: list[DeliveryOrder]) -> DayProblem:
    """One problem for every depot of the day. Orders must have coordinates; the caller reports the others."""
    depots = sorted({v.depot for v in vehicles} | {o.warehouse for o in orders}, key=lambda w: w.pk)
    depot_index = {w.pk: i for i, w in enumerate(depots)}
    sizes = pack_sizes(Pack.objects.prefetch_related("components__item"))
    stops = [
        solver.Stop(
            id=str(order.pk),
            demand=order_demand(order, sizes),
            window=solver.TimeWindow(seconds(order.window_start), seconds(order.window_end)),
            service_time=settings.ROUTING_SERVICE_TIME_S,
            priority=PRIORITY[order.priority],
            skills=frozenset({depot_skill(order.warehouse_id)}),
        )
        for order in orders
    ]
    fleet = [
        solver.Vehicle(
            id=str(vehicle.pk),
            capacity=(vehicle.capacity_kg * 1000, vehicle.capacity_l * 100, vehicle.capacity_packs),
            shift=solver.TimeWindow(seconds(vehicle.shift_start), seconds(vehicle.shift_end)),
            start_depot=depot_index[vehicle.depot_id],
            skills=frozenset({depot_skill(vehicle.depot_id), *vehicle.skills}),
        )
        for vehicle in vehicles
    ]
    points = [location(w) for w in depots] + [location(order.household) for order in orders]
    distance, duration = travel_matrices(points)
    problem = solver.Problem(
        vehicles=tuple(fleet),
        stops=tuple(stops),
        distance=distance,
        duration=duration,
        depots=tuple(solver.Depot(str(w.pk)) for w in depots),
    )
    return DayProblem(
        depots=depots,
        vehicles={str(v.pk): v for v in vehicles},
        orders={str(o.pk): o for o in orders},
        problem=problem,
    )
