"""Expected arrivals while a round is under way, and a new window for a household only when theirs really moved.

Where the van last was, and when: the last stop recorded at the door (at its `recorded_at`) or the latest position
its driver's phone shared (delivery.positions), whichever is newer. From there the stops still to visit, in their
order, are timed as planning times them (routing.board: the same travel matrices from routing.travel, the same
service times, waiting at a door that opens later), and each gets its `expected_at`; `arrival_at` stays the plan.

A household is told a new window (by the one rule, logistics.windows) only when it lies more than
WINDOW_CHANGE_TOLERANCE_MIN from the window it was last told; the told window is then recorded on the order, so
the same change is never told twice.

Delivery records the outcomes and may not import routing: `order_event_heard` hears the order events its services
announce (core.events, after commit) and queues `round_eta_recompute_task` for the round under way."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.dates import day_text
from delivery.models import Round, Stop
from delivery.positions import latest_positions, rounds_under_way
from logistics.models import DeliveryOrder
from logistics.windows import arrival_window
from requests_intake.models import Notification
from requests_intake.notifications import notification_create
from routing.adapter import at, location
from routing.board import _earliest, _with_stops, stop_point, stop_service, stop_spans
from routing.travel import travel_matrices

logger = logging.getLogger(__name__)

# The order events after which a round's stops are timed again: a visit recorded, or a failure taken back.
EVENTS_HEARD = {"order.delivered", "order.failed", "order.out_for_delivery"}


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _since_midnight(date: dt.date, moment: dt.datetime) -> int:
    """Seconds from the round day's midnight (local time) to `moment`, as the round's times count them."""
    return round((moment - at(date, 0)).total_seconds())


def _anchor(round_: Round, stops: list[Stop]):
    """(when, where) the van last was: its last recorded stop or its latest position, the newer; None for neither."""
    found = []
    recorded = [s for s in stops if s.outcome != Stop.Outcome.PENDING and s.recorded_at is not None]
    if recorded:
        last = max(recorded, key=lambda s: (s.recorded_at, s.sequence))
        found.append((last.recorded_at, stop_point(last)))
    position = latest_positions([round_.pk]).get(round_.pk)
    if position is not None:
        found.append((position.recorded_at, location(position)))
    return max(found, key=lambda each: each[0]) if found else None


@transaction.atomic
def round_eta_recompute(*, round_id: int) -> list[Stop]:
    """Time the round's stops still to visit from where the van last was, store their `expected_at`, and tell each
    household whose window moved beyond the tolerance. Returns the stops whose household was told; safe to run
    twice (the second run finds nothing new to tell)."""
    # One recompute of a round at a time: two visits recorded together must not both tell a household.
    round_ = Round.objects.select_for_update().filter(pk=round_id).first()
    if round_ is None:
        return []
    loaded = _with_stops(Round.objects.filter(pk=round_id))[0]
    stops = list(loaded.stops.all())
    pending = [s for s in stops if s.outcome == Stop.Outcome.PENDING]
    anchor = _anchor(round_, stops)
    if not pending or anchor is None:
        return []
    when, where = anchor
    distance, duration = travel_matrices([where] + [stop_point(s) for s in pending])
    clock, here = _since_midnight(round_.date, when), 0
    for node, stop in enumerate(pending, start=1):
        arrival = _earliest(clock + duration[here][node], stop_spans(stop, round_.date))
        stop.expected_at = at(round_.date, arrival)
        clock, here = arrival + stop_service(stop), node
    Stop.objects.bulk_update(pending, ["expected_at"])
    # The household hears of the van at its door, never of its stop at a pharmacy.
    return [s for s in pending if s.kind == Stop.Kind.DELIVERY and window_tell_if_moved(stop=s, expected=s.expected_at)]


def rounds_retell(*, round_ids: list[int]) -> list[Stop]:
    """After a planner moved stops on a day under way (routing.board.stop_move): time each round again from where
    its van last was, and tell the households of its deliveries not yet visited whose window moved beyond the
    tolerance, from the expected arrival or, for a van with nothing to go on yet, the new planned one. Call inside
    the move's transaction. Returns the stops whose household was told."""
    told = []
    for round_id in round_ids:
        told += round_eta_recompute(round_id=round_id)
    fresh = {stop.pk for stop in told}
    unexpected = Stop.objects.filter(
        round__in=round_ids, kind=Stop.Kind.DELIVERY, outcome=Stop.Outcome.PENDING, expected_at__isnull=True
    ).exclude(pk__in=fresh)
    for stop in unexpected.order_by("round", "sequence"):
        if window_tell_if_moved(stop=stop, expected=stop.arrival_at):
            told.append(stop)
    return told


def window_tell_if_moved(*, stop: Stop, expected: dt.datetime) -> bool:
    """Tell the household the window the one rule gives for a van expected at `expected`, if it lies more than
    WINDOW_CHANGE_TOLERANCE_MIN from the window it was told for that day (or it was told none); returns whether
    it was told. Call inside a transaction: the order's row is locked while the told window is compared."""
    order = (
        DeliveryOrder.objects.select_for_update(of=("self",))
        .select_related("household", "plan__request__household")
        .get(pk=stop.order_id)
    )
    start, end = (t.replace(second=0, microsecond=0) for t in arrival_window(order, expected))
    day = timezone.localdate(expected)
    if order.told_date == day and order.told_start is not None and order.told_end is not None:
        moved = max(abs(_minutes(start) - _minutes(order.told_start)), abs(_minutes(end) - _minutes(order.told_end)))
        if moved <= settings.WINDOW_CHANGE_TOLERANCE_MIN:
            return False
    notification_create(
        request=order.plan.request,
        event=Notification.Event.SCHEDULED,
        date=day_text(expected),
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
    )
    order.told_date, order.told_start, order.told_end = day, start, end
    order.save(update_fields=["told_date", "told_start", "told_end"])
    logger.info("Order %s told a new window %s–%s (van expected at %s)", order.pk, start, end, expected)
    return True


def order_event_heard(event: str, payload: dict[str, Any]) -> None:
    """core.events handler: a visit recorded (or a failure taken back) on a round under way times its stops again.

    Runs after the outcome's transaction committed; it must never fail that request, so a broker or database
    hiccup is logged and the next visit recorded times the round again."""
    if event not in EVENTS_HEARD:
        return
    try:
        moving = rounds_under_way(timezone.localdate())
        stops = Stop.objects.filter(order=payload.get("order"), round__in=moving)
        if event == "order.out_for_delivery":
            # A round leaving the depot announces every order; only a failure taken back has a visit to time from.
            stops = stops.filter(round__stops__recorded_at__isnull=False)
        for round_id in set(stops.values_list("round", flat=True)):
            from routing.tasks import round_eta_recompute_task

            round_eta_recompute_task.delay(round_id)
    except Exception:
        logger.exception("Expected arrivals not worked out after %s %s", event, payload)
