"""Reads of the delivery day: a driver's rounds, and a round whole for its printed sheets."""

import datetime as dt

from django.db.models import Prefetch

from delivery.models import Round, Stop


def driver_rounds(user):
    """The rounds a driver may see and act on: their own, on plans the planner has published (never a draft)."""
    return Round.objects.filter(driver=user, run__published_at__isnull=False)


def driver_next_round(user, today: dt.date) -> Round | None:
    """The driver's round for today, or else their next planned one."""
    return driver_rounds(user).filter(date__gte=today).order_by("date", "start_at").first()


def round_for_manifest(round_id: int) -> Round:
    # A pharmacy's hours are read only for rounds with a pharmacy pickup: no query for the others.
    stops = (
        Stop.objects.select_related("order__household", "order__plan__pharmacy")
        .prefetch_related("order__lines__pack", "order__plan__pharmacy__hours")
        .order_by("sequence")
    )
    return (
        Round.objects.select_related("vehicle", "driver", "depot")
        .prefetch_related(Prefetch("stops", queryset=stops))
        .get(pk=round_id)
    )
