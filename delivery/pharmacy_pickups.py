"""Medication on a round: the driver collects it at the pharmacy (a pickup stop), then hands it over at home (the
order's delivery stop, later on the same round). The two stops are the medication's chain of custody: who at the
pharmacy handed it over and when, then who at home received it.

A failed pickup fails the order through `delivery.services.stop_mark_failed`, the one path a missed delivery takes
(stock released, the order rescheduled once the undo time is over, the household told); the rules here are the
parts of that path that only a medication order has."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Stop
from logistics.models import DeliveryOrder

# Why a pickup can fail; every other reason belongs to the door at home, and neither kind takes the other's.
PICKUP_REASONS = frozenset({Stop.FailureReason.PHARMACY_CLOSED, Stop.FailureReason.PRESCRIPTION_NOT_READY})
HANDED_OVER_BY_MAX = Stop._meta.get_field("handed_over_by").max_length
# A pickup is recorded while its order is on its way: planned (a driver who forgot to tap "start") or out.
ON_THE_WAY = (DeliveryOrder.Status.PLANNED, DeliveryOrder.Status.OUT_FOR_DELIVERY)


def failure_reasons_for(kind: str) -> list[tuple[str, str]]:
    """The failure reasons a stop of this kind offers the driver, as (value, label)."""
    pickup = kind == Stop.Kind.PICKUP
    return [(value, label) for value, label in Stop.FailureReason.choices if (value in PICKUP_REASONS) == pickup]


def pickup_on_round(stop: Stop) -> Stop | None:
    """The pickup stop of this (home) stop's order on the same round, if the medication is collected on it."""
    return (
        Stop.objects.filter(round_id=stop.round_id, order_id=stop.order_id, kind=Stop.Kind.PICKUP)
        .exclude(pk=stop.pk)
        .first()
    )


def failure_reason_check(stop: Stop, reason: str) -> None:
    """Refuse a reason that belongs to the other kind of stop: a pharmacy is not "nobody at home", a door is not
    "prescription not ready"."""
    if stop.kind == Stop.Kind.PICKUP and reason not in PICKUP_REASONS:
        raise ValidationError(
            _(
                "A pickup fails only because the pharmacy was closed or the prescription was not ready; nothing "
                "was saved."
            ),
            code="reason_not_for_pickup",
        )
    if stop.kind != Stop.Kind.PICKUP and reason in PICKUP_REASONS:
        raise ValidationError(
            _("“%(reason)s” is a reason for a pharmacy pickup, not for the door at home; nothing was saved.")
            % {"reason": Stop.FailureReason(reason).label},
            code="reason_not_for_delivery",
        )


def home_stop_check(stop: Stop) -> None:
    """Refuse recording a home stop (delivered or not) before its medication was collected, and recording a pickup
    stop as a home delivery. `stop` is locked by the caller."""
    if stop.kind == Stop.Kind.PICKUP:
        raise ValidationError(
            _("Stop %(number)s is a pharmacy pickup: record who handed the medication over; nothing was saved.")
            % {"number": stop.sequence},
            code="not_a_home_stop",
        )
    pickup = pickup_on_round(stop)
    if pickup is not None and pickup.outcome != Stop.Outcome.DELIVERED:
        raise ValidationError(
            _("Pick up the medication at the pharmacy first (stop %(number)s); nothing was saved.")
            % {"number": pickup.sequence},
            code="pickup_not_done",
        )


def home_stop_fail_with_pickup(pickup: Stop) -> Stop | None:
    """The pickup failed, so the van has nothing to take home: the order's home stop on that round fails with the
    same reason and time. Returns it, or None when the round has no pending home stop for the order.

    Marked failed rather than taken off the round: the driver's page and a reprinted sheet still show the visit and
    why it did not happen, the social worker's chain of custody reads it, a wrong tap on the pickup is taken back
    with both stops together (`home_stop_restore`), and the order's failed attempts count one failure, not two."""
    home = (
        Stop.objects.select_for_update()
        .filter(
            round_id=pickup.round_id, order_id=pickup.order_id, kind=Stop.Kind.DELIVERY, outcome=Stop.Outcome.PENDING
        )
        .first()
    )
    if home is None:
        return None
    home.outcome = Stop.Outcome.FAILED
    home.failure_reason = pickup.failure_reason
    home.recorded_at = pickup.recorded_at
    home.save(update_fields=["outcome", "failure_reason", "recorded_at"])
    return home


def home_stop_failed_with_pickup(stop: Stop) -> bool:
    """Whether this home stop failed only because its pickup on the round failed (it is taken back with it)."""
    if stop.kind != Stop.Kind.DELIVERY or stop.outcome != Stop.Outcome.FAILED:
        return False
    pickup = pickup_on_round(stop)
    return pickup is not None and pickup.outcome == Stop.Outcome.FAILED


def home_stop_restore(pickup: Stop) -> None:
    """A failed pickup taken back: its home stop, failed with it, is to be visited again."""
    failed_with_it = Stop.objects.select_for_update().filter(
        round_id=pickup.round_id,
        order_id=pickup.order_id,
        kind=Stop.Kind.DELIVERY,
        outcome=Stop.Outcome.FAILED,
        failure_reason__in=PICKUP_REASONS,
    )
    for home in failed_with_it:
        home.outcome = Stop.Outcome.PENDING
        home.failure_reason = ""
        home.recorded_at = None
        home.save(update_fields=["outcome", "failure_reason", "recorded_at"])


@transaction.atomic
def stop_mark_picked_up(*, actor, stop: Stop, handed_over_by: str, done_at: dt.datetime | None = None) -> Stop:
    """Record that the driver collected the medication at the pharmacy: from whom and when. No stock moves: the
    medication was never the depot's.

    `done_at` is when it happened at the counter, which a phone without signal sends later."""
    name = handed_over_by.strip() if isinstance(handed_over_by, str) else ""
    if not name:
        raise ValidationError(
            _("Write who at the pharmacy handed the medication over; nothing was saved."),
            code="handed_over_by_missing",
        )
    if len(name) > HANDED_OVER_BY_MAX:
        raise ValidationError(
            _("“Handed over by” is longer than %(limit)s characters; nothing was saved.")
            % {"limit": HANDED_OVER_BY_MAX},
            code="handed_over_by_too_long",
        )
    stop = Stop.objects.select_for_update().select_related("order", "round").get(pk=stop.pk)
    if stop.kind != Stop.Kind.PICKUP:
        raise ValidationError(
            _("Stop %(number)s is not a pharmacy pickup; nothing was saved.") % {"number": stop.sequence},
            code="not_a_pickup",
        )
    # Whoever records the pickup vouches for the medication: the round's own driver, or a planner for them.
    if stop.round.driver_id != actor.pk and not actor.has_perm("routing.plan_rounds"):
        raise ValidationError(_("Only the round's driver can record its pickups."), code="not_the_driver")
    if stop.outcome != Stop.Outcome.PENDING:
        raise ValidationError(
            _("This pickup was already recorded as “%(outcome)s”; nothing was changed.")
            % {"outcome": _("picked up") if stop.outcome == Stop.Outcome.DELIVERED else stop.get_outcome_display()},
            code="already_recorded",
        )
    if stop.order.status not in ON_THE_WAY:
        raise ValidationError(
            _("Order %(order)s is “%(status)s”, not on its way; nothing was saved.")
            % {"order": stop.order_id, "status": stop.order.get_status_display()},
            code="order_not_on_the_way",
        )
    # A picked-up pickup is "delivered" to the van: the stop is done, and the home stop may be recorded.
    stop.outcome = Stop.Outcome.DELIVERED
    stop.handed_over_by = name
    stop.recorded_at = done_at or timezone.now()
    stop.save(update_fields=["outcome", "handed_over_by", "recorded_at"])
    return stop
