"""The small finished plan the board's page tests read: tomorrow, one depot, van A with two stops, van B with one."""

import datetime as dt

from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from tests.scenarios import approved_order


def at(hour: int, minute: int = 0) -> dt.datetime:
    """Tomorrow at that time of day."""
    return timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(hour, minute)))


def finished_run(role_users, **fields) -> PlanningRun:
    """A run for tomorrow that has finished its search."""
    return PlanningRun.objects.create(
        date=tomorrow(),
        requested_by=role_users["logistics_planner"],
        status=PlanningRun.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        **fields,
    )


def two_van_draft(role_users, **run_fields) -> dict:
    """The draft's run, its two rounds (`first` with two stops and the driver, `second` with one) and the orders."""
    orders = [approved_order(role_users)[0] for _ in range(3)]
    depot = orders[0].warehouse
    van_a = VehicleFactory(depot=depot, name="Furgoneta A", driver=role_users["driver"])
    van_b = VehicleFactory(depot=depot, name="Furgoneta B")
    run = finished_run(role_users, **run_fields)
    first = Round.objects.create(
        run=run, date=tomorrow(), vehicle=van_a, driver=role_users["driver"], depot=depot,
        start_at=at(9), end_at=at(10), distance_m=8000,
    )  # fmt: skip
    second = Round.objects.create(
        run=run, date=tomorrow(), vehicle=van_b, driver=None, depot=depot,
        start_at=at(9), end_at=at(9, 40), distance_m=5000,
    )  # fmt: skip
    Stop.objects.create(round=first, order=orders[0], sequence=1, arrival_at=at(9, 15))
    Stop.objects.create(round=first, order=orders[1], sequence=2, arrival_at=at(9, 30))
    Stop.objects.create(round=second, order=orders[2], sequence=1, arrival_at=at(9, 20))
    return {"run": run, "first": first, "second": second, "orders": orders}
