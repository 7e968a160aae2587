"""Reads of medication's way through a round: a pharmacy's hours on the round's day, each home stop's pickup, and
the chain of custody of a plan's medication orders for its social worker."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from delivery.models import Stop
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, Pharmacy


def opening_hours_on(pharmacy: Pharmacy, day: dt.date) -> str:
    """The pharmacy's opening spans on `day` ("09:00–14:00, 17:00–20:30"), or that it is closed that day.

    Reads `pharmacy.hours.all()`, so a caller listing many stops prefetches `…pharmacy__hours`."""
    spans = sorted((span for span in pharmacy.hours.all() if span.weekday == day.weekday()), key=lambda s: s.opens)
    if not spans:
        return _("closed that day")
    return ", ".join(f"{span.opens:%H:%M}–{span.closes:%H:%M}" for span in spans)


def pickups_by_order(stops: list[Stop]) -> dict[int, Stop]:
    """Of a round's stops, the pharmacy pickups by their order's id: a home stop finds its medication's pickup."""
    return {stop.order_id: stop for stop in stops if stop.kind == Stop.Kind.PICKUP}


@dataclass(frozen=True)
class Visit:
    """One round's try at an order's medication: the pickup at the pharmacy and the hand-over at home."""

    date: dt.date
    driver: str
    pickup: Stop | None
    home: Stop | None


@dataclass(frozen=True)
class OrderCustody:
    order: DeliveryOrder
    visits: list[Visit]


def driver_name(user) -> str:
    if user is None:
        return _("no driver assigned")
    return user.get_full_name() or user.username


def plan_custody(plan: AidPlan) -> list[OrderCustody]:
    """Each of the plan's orders, newest first, with every round that carried it: who picked the medication up at
    the pharmacy and when, who there handed it over, and who received it at home (or why either failed)."""
    stops = Stop.objects.select_related("round__driver").order_by("round__date", "round_id", "sequence")
    orders = plan.orders.prefetch_related(Prefetch("stops", queryset=stops)).order_by("-due_date", "-pk")
    custody = []
    for order in orders:
        rounds: dict[int, dict] = {}
        for stop in order.stops.all():
            visit = rounds.setdefault(
                stop.round_id,
                {"date": stop.round.date, "driver": driver_name(stop.round.driver), "pickup": None, "home": None},
            )
            visit["pickup" if stop.kind == Stop.Kind.PICKUP else "home"] = stop
        custody.append(OrderCustody(order=order, visits=[Visit(**visit) for visit in rounds.values()]))
    return custody
