"""A stop arrives late by one rule, read two ways: `arrives_late` on a loaded stop and `stops_arriving_late` in the
database (a large day's board). They must pick the same stops, at the edge of the window and across midnight UTC."""

import datetime as dt

import pytest
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.tests.factories import VehicleFactory
from routing.board import arrives_late, stops_arriving_late
from routing.models import PlanningRun
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _local(hour: int, minute: int = 0, second: int = 0, day_after: bool = False) -> dt.datetime:
    day = tomorrow() + dt.timedelta(days=1 if day_after else 0)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def test_the_database_finds_the_late_stops_that_arrives_late_finds(role_users):
    arrivals = {
        "before the end": _local(13, 59),
        "at the end": _local(14, 0),
        "a second after": _local(14, 0, 1),
        "in the evening": _local(21, 30),
        "after midnight UTC": _local(0, 30, day_after=True),  # late evening before, in UTC; early morning here
    }
    orders = [approved_order(role_users)[0] for _ in arrivals]
    van = VehicleFactory(depot=orders[0].warehouse)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    round_ = Round.objects.create(
        run=run, date=tomorrow(), vehicle=van, depot=van.depot, start_at=_local(9), end_at=_local(9), distance_m=0
    )
    stops = {
        label: Stop.objects.create(round=round_, order=order, sequence=n, arrival_at=arrival)
        for n, (order, (label, arrival)) in enumerate(zip(orders, arrivals.items(), strict=True), start=1)
    }
    assert {order.window_end for order in orders} == {dt.time(14)}

    in_python = {label for label, stop in stops.items() if arrives_late(stop.arrival_at, stop.order.window_end)}
    in_database = set(
        Stop.objects.filter(stops_arriving_late(), round=round_).values_list("order__window_end", "sequence")
    )

    assert in_python == {"a second after", "in the evening"}
    assert in_database == {(dt.time(14), stops[label].sequence) for label in in_python}
