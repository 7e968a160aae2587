"""Taking an order's stop off its round when the order changes (rescheduled, collected instead, cancelled): the
round closes up and is re-timed as the board re-times a move, so its later households are not kept waiting."""

import logging

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from delivery.models import Round, Stop
from logistics.models import DeliveryOrder
from routing.board import RESEQUENCE_OFFSET, _retime, _with_stops, rounds_shifts
from routing.models import PlanningRun

logger = logging.getLogger(__name__)


def order_stop_refusal(order: DeliveryOrder) -> ValidationError | None:
    """Why the order's visit can no longer be changed, or None: recorded at the door, or its van has left."""
    if (
        order.status == DeliveryOrder.Status.OUT_FOR_DELIVERY
        or order.stops.filter(outcome=Stop.Outcome.DELIVERED).exists()
    ):
        return ValidationError(
            _("Order %(order)s is on a van that has left or was already handed over; nothing was changed.")
            % {"order": order.pk},
            code="stop_visited",
        )
    return None


def order_stop_remove(*, actor, order: DeliveryOrder) -> int | None:
    """Delete the order's stop still to visit (call inside the change's transaction), and its pharmacy pickup with
    it, and re-time its round; returns the removed (delivery) stop's id, or None when the order is on no round.
    The stops' history keeps them."""
    refusal = order_stop_refusal(order)
    if refusal is not None:
        raise refusal
    stop = (
        Stop.objects.filter(order=order, outcome=Stop.Outcome.PENDING)
        .select_related("round")
        .order_by("-round__date", "kind", "-pk")  # the delivery ("delivery" < "pickup") of the latest round
        .first()
    )
    if stop is None:
        return None
    # The run first, as the board locks it: a plan is never published or moved half changed.
    run = PlanningRun.objects.select_for_update().get(pk=stop.round.run_id)
    round_ = Round.objects.select_for_update().get(pk=stop.round_id)
    stop_id = stop.pk
    # A pickup without its delivery would have the driver collect medication for nobody: both go.
    for each in Stop.objects.filter(round=round_, order=order, outcome=Stop.Outcome.PENDING):
        each._change_reason = "taken off its round: the order changed"
        each.delete()
    # Close the gap: sequences are unique per round, so step aside first, then number again from 1.
    Stop.objects.filter(round=round_).update(sequence=F("sequence") + RESEQUENCE_OFFSET)
    (loaded,) = _with_stops(Round.objects.filter(pk=round_.pk))
    remaining = list(loaded.stops.all())
    for sequence, each in enumerate(remaining, start=1):
        each.sequence = sequence
    _retime(loaded, remaining, rounds_shifts(loaded.date, [loaded])[loaded.pk])
    Stop.objects.bulk_update(remaining, ["sequence", "arrival_at"])
    loaded.save(update_fields=["start_at", "end_at", "distance_m"])
    run.total_distance_m = sum(run.rounds.values_list("distance_m", flat=True))
    run.save(update_fields=["total_distance_m"])
    logger.info("%s took stop %s (order %s) off round %s", actor, stop_id, order.pk, round_.pk)
    return stop_id
