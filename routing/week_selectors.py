"""The board's week view: per day the orders due, and the vans, km and packs of that day's current plan."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from delivery.models import Stop
from logistics.models import DeliveryOrder, DeliveryOrderLine
from routing.selectors import run_current

OPEN = Q(status__in=[s for s in DeliveryOrder.Status.values if s not in ("delivered", "cancelled")])


@dataclass(frozen=True)
class WeekDay:
    date: dt.date
    orders: int
    planned: int
    vans: int
    km: float
    packs: int
    published: bool


def week_days(start: dt.date, days: int) -> list[WeekDay]:
    end = start + dt.timedelta(days=days - 1)
    due = dict(
        DeliveryOrder.objects.filter(OPEN, due_date__range=(start, end)).values_list("due_date").annotate(n=Count("pk"))
    )
    result = []
    for offset in range(days):
        date = start + dt.timedelta(days=offset)
        run = run_current(date)
        # The orders on the day's rounds: one delivery each (a medication order's pharmacy pickup is not counted).
        stops = Stop.objects.filter(round__run=run, kind=Stop.Kind.DELIVERY) if run else Stop.objects.none()
        packs = DeliveryOrderLine.objects.filter(order__in=stops.values("order")).aggregate(n=Sum("quantity"))["n"]
        result.append(
            WeekDay(
                date=date,
                orders=due.get(date, 0),
                planned=stops.count(),
                vans=run.rounds.filter(stops__isnull=False).distinct().count() if run else 0,
                km=run.total_distance_km if run else 0.0,
                packs=packs or 0,
                published=bool(run and run.published_at),
            )
        )
    return result
