"""Closing a delivery day: what left, what was handed over, what came back, and whether the ledger, the orders'
statuses and the messages to requesters tell the same story."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Sum
from django.utils.translation import gettext as _

from delivery.models import Round, Stop
from inventory.models import Reservation, StockMovement
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import Notification


@dataclass
class RoundClose:
    round: Round
    stops: int = 0
    delivered: int = 0
    failed: int = 0
    pending: int = 0
    packs_out: Counter = field(default_factory=Counter)  # packs that left on the van
    packs_delivered: Counter = field(default_factory=Counter)

    @property
    def pack_rows(self) -> list[tuple[str, int, int, int]]:
        """(pack, left on the van, delivered, came back)."""
        return [
            (pack, out, self.packs_delivered[pack], out - self.packs_delivered[pack])
            for pack, out in sorted(self.packs_out.items())
        ]


@dataclass
class DayClose:
    date: dt.date
    rounds: list[RoundClose]
    problems: list[str]  # every disagreement found, in words; empty when the day is closed cleanly
    collected: list[DeliveryOrder] = field(default_factory=list)  # picked up at the depot that day

    @property
    def totals(self) -> dict:
        return {
            "stops": sum(r.stops for r in self.rounds),
            "delivered": sum(r.delivered for r in self.rounds),
            "failed": sum(r.failed for r in self.rounds),
            "pending": sum(r.pending for r in self.rounds),
        }


def day_close(date: dt.date) -> DayClose:
    """Reconcile the day's rounds; a handful of queries whatever the number of stops."""
    lines = Prefetch("order__lines", queryset=DeliveryOrderLine.objects.select_related("pack"))
    rounds = list(
        Round.objects.filter(date=date)
        .select_related("vehicle", "driver")
        .prefetch_related(
            Prefetch(
                "stops", queryset=Stop.objects.select_related("order__household", "order__plan").prefetch_related(lines)
            )
        )
        .order_by("vehicle__name")
    )
    stops = [stop for r in rounds for stop in r.stops.all()]
    collected = list(
        DeliveryOrder.objects.filter(mode=DeliveryOrder.Mode.PICKUP, collected_at__date=date)
        .select_related("household", "plan", "warehouse")
        .order_by("collected_at")
    )
    order_ids = [stop.order_id for stop in stops] + [order.pk for order in collected]
    dispatched = dict(
        StockMovement.objects.filter(order_id__in=order_ids, kind=StockMovement.Kind.DISPATCH)
        .values_list("order_id")
        .annotate(units=Sum("quantity"))
    )
    still_held = set(
        Reservation.objects.filter(order_id__in=order_ids, status=Reservation.Status.ACTIVE).values_list(
            "order_id", flat=True
        )
    )
    # Messages are per request, and a recurring plan's request gets one per delivery: the latest must be today's.
    told_delivered = dict(
        Notification.objects.filter(request__plan__orders__in=order_ids, event=Notification.Event.DELIVERED)
        .values_list("request_id")
        .annotate(last=Max("created_at"))
    )

    closes, problems = [], []
    for round_ in rounds:
        close = RoundClose(round=round_)
        for stop in round_.stops.all():
            if stop.kind == Stop.Kind.PICKUP:
                # A pharmacy pickup carries no depot packs and its order is closed at its home stop, which fails
                # with it when it fails: counted there, once.
                continue
            order = stop.order
            close.stops += 1
            packs = Counter({line.pack.label: line.quantity for line in order.lines.all()})
            close.packs_out += packs
            name = order.household.full_name
            if stop.outcome == Stop.Outcome.DELIVERED:
                close.delivered += 1
                close.packs_delivered += packs
                if order.status != DeliveryOrder.Status.DELIVERED:
                    problems.append(
                        _("%(name)s: delivered on the round, but the order says “%(status)s”.")
                        % {"name": name, "status": order.get_status_display()}
                    )
                if not dispatched.get(order.pk):
                    problems.append(_("%(name)s: delivered, but no stock left the ledger for it.") % {"name": name})
                told_at = told_delivered.get(order.plan.request_id)
                if told_at is None or (stop.recorded_at and told_at < stop.recorded_at):
                    problems.append(_("%(name)s: delivered, but the requester was not told.") % {"name": name})
            elif stop.outcome == Stop.Outcome.FAILED:
                close.failed += 1
                if dispatched.get(order.pk):
                    problems.append(_("%(name)s: not delivered, but stock left the ledger for it.") % {"name": name})
            else:
                close.pending += 1
                problems.append(
                    _("%(name)s (stop %(number)s of %(vehicle)s): no outcome recorded yet.")
                    % {"name": name, "number": stop.sequence, "vehicle": round_.vehicle.name}
                )
            if (
                stop.outcome != Stop.Outcome.PENDING
                and order.pk in still_held
                and order.status == DeliveryOrder.Status.DELIVERED
            ):
                problems.append(_("%(name)s: delivered, but stock is still reserved for it.") % {"name": name})
        closes.append(close)
    for order in collected:  # handed over at the depot: the same ledger and message checks as at the door
        name = order.household.full_name
        if not dispatched.get(order.pk):
            problems.append(
                _("%(name)s: collected at the depot, but no stock left the ledger for it.") % {"name": name}
            )
        if order.pk in still_held:
            problems.append(_("%(name)s: collected at the depot, but stock is still reserved for it.") % {"name": name})
        if order.plan.request_id not in told_delivered:
            problems.append(_("%(name)s: collected at the depot, but the requester was not told.") % {"name": name})
    return DayClose(date=date, rounds=closes, problems=problems, collected=collected)
