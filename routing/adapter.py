"""Turn database rows into solver input, and the solver's plan back into rounds and stops."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from inventory.models import Pack, Warehouse
from inventory.selectors import pack_sizes
from logistics.models import DeliveryOrder, Vehicle
from routing import solver
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
class DepotProblem:
    depot: Warehouse
    vehicles: dict[str, Vehicle]
    orders: dict[str, DeliveryOrder]
    problem: solver.Problem


def depot_problem(*, depot: Warehouse, vehicles: list[Vehicle], orders: list[DeliveryOrder]) -> DepotProblem:
    """Orders must have coordinates; the caller reports the others."""
    sizes = pack_sizes(Pack.objects.prefetch_related("components__item"))
    stops = []
    for order in orders:
        grams = sum(sizes[line.pack_id][0] * line.quantity for line in order.lines.all())
        centilitres = sum(sizes[line.pack_id][1] * line.quantity for line in order.lines.all())
        stops.append(
            solver.Stop(
                id=str(order.pk),
                demand=(grams, centilitres),
                window=solver.TimeWindow(seconds(order.window_start), seconds(order.window_end)),
                service_time=settings.ROUTING_SERVICE_TIME_S,
                priority=PRIORITY[order.priority],
            )
        )
    fleet = [
        solver.Vehicle(
            id=str(vehicle.pk),
            capacity=(vehicle.capacity_kg * 1000, vehicle.capacity_l * 100),
            shift=solver.TimeWindow(seconds(vehicle.shift_start), seconds(vehicle.shift_end)),
        )
        for vehicle in vehicles
    ]
    points = [location(depot)] + [location(order.household) for order in orders]
    distance, duration = travel_matrices(points)
    problem = solver.Problem(vehicles=tuple(fleet), stops=tuple(stops), distance=distance, duration=duration)
    return DepotProblem(
        depot=depot,
        vehicles={str(v.pk): v for v in vehicles},
        orders={str(o.pk): o for o in orders},
        problem=problem,
    )
