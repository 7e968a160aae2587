"""A stored plan as plain data (`plan_day --json`): rounds with their stops (pharmacy pickups, deliveries) and breaks
in time order, and the orders left out with the reason and the fix in words. The shape is documented in the README."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from delivery.models import Stop
from logistics.week_plan import reference
from logistics.windows import arrival_window
from routing.board import span_used
from routing.models import PlanningRun
from routing.reasons import REASON_TEXT, fix_text
from routing.selectors import round_cost


def _clock(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%H:%M")


def _place(household) -> str:
    return ", ".join(part for part in (household.address, household.postcode, household.municipality) if part)


def _pharmacy_place(pharmacy) -> str:
    return ", ".join(part for part in (pharmacy.name, pharmacy.address) if part)


def _stop(stop: Stop) -> dict:
    if stop.kind == Stop.Kind.PICKUP:
        arrival = timezone.localtime(stop.arrival_at)
        hours = [(h.opens, h.closes) for h in stop.order.plan.pharmacy.hours.all() if h.weekday == arrival.weekday()]
        span = span_used(arrival.time(), hours)
        return {
            "kind": "pickup",
            "order": reference(stop.order),
            "place": _pharmacy_place(stop.order.plan.pharmacy),
            "arrival": _clock(stop.arrival_at),
            "window": {"start": _clock(span[0]), "end": _clock(span[1])} if span else None,
        }
    start, end = arrival_window(stop.order, stop.arrival_at)
    return {
        "kind": "delivery",
        # "<request reference>/<order number>", as plan_week and the pages name an order.
        "order": reference(stop.order),
        "place": _place(stop.order.household),
        "arrival": _clock(stop.arrival_at),
        "window": {"start": _clock(start), "end": _clock(end)},
    }


def _round(round_) -> dict:
    stops = [_stop(stop) for stop in round_.stops.all()]
    if round_.break_at is not None:
        ends = round_.break_at + dt.timedelta(minutes=round_.depot.break_minutes)
        pause = {
            "kind": "break",
            "order": None,
            "place": None,
            "arrival": _clock(round_.break_at),
            "window": {"start": _clock(round_.break_at), "end": _clock(ends)},
        }
        # Between the last stop served before the break and the first after it.
        before = sum(1 for stop in round_.stops.all() if stop.arrival_at < round_.break_at)
        stops.insert(before, pause)
    driver = round_.driver
    return {
        "depot": round_.depot.name,
        "vehicle": round_.vehicle.name,
        "driver": (driver.get_full_name() or driver.username) if driver else None,
        "km": round_.distance_km,
        "cost": str(round_cost(round_)),
        "stops": stops,
    }


def run_document(run: PlanningRun) -> dict:
    """The run's plan as JSON-ready data."""
    stops = (
        Stop.objects.select_related("order__household", "order__plan__request", "order__plan__pharmacy")
        .prefetch_related("order__plan__pharmacy__hours")
        .order_by("sequence")
    )
    rounds = (
        run.rounds.select_related("vehicle", "driver", "depot")
        .prefetch_related(Prefetch("stops", queryset=stops))
        .order_by("depot__name", "vehicle__name")
    )
    left_out = run.unplaced.select_related("order__plan__request").order_by("order__priority", "order_id")
    return {
        "date": run.date.isoformat(),
        "objective": run.objective,
        "engine": run.engine,
        "rounds": [_round(round_) for round_ in rounds],
        "left_out": [
            {
                "order": reference(u.order),
                "code": u.reason,
                "reason": str(REASON_TEXT.get(u.reason, u.reason)),
                "fix": (fix_text(u.fix_kind, u.fix_value) or None) if u.fix_kind else None,
            }
            for u in left_out
        ],
    }
