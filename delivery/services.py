"""The delivery day at the door: a round leaves the depot, each stop is delivered or fails."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Round, Stop
from delivery.pharmacy_pickups import (
    failure_reason_check,
    home_stop_check,
    home_stop_fail_with_pickup,
    home_stop_failed_with_pickup,
    home_stop_restore,
)
from delivery.proof import proof_attach
from inventory.reservations import InsufficientStock, order_dispatch_stock, order_release_stock, order_reserve_stock
from logistics.calendar import next_allowed_day
from logistics.lifecycle import order_move, orders_move
from logistics.models import DeliveryOrder
from requests_intake.models import Notification, Priority
from requests_intake.notifications import notification_create


def _lock_pending_stop(stop: Stop) -> Stop:
    stop = Stop.objects.select_for_update().select_related("order", "round").get(pk=stop.pk)
    if stop.outcome != Stop.Outcome.PENDING:
        raise ValidationError(
            _("This stop was already recorded as “%(outcome)s”; nothing was changed.")
            % {"outcome": stop.get_outcome_display()},
            code="already_recorded",
        )
    return stop


@transaction.atomic
def round_start(*, actor, round_: Round) -> int:
    """The van leaves the depot: its planned orders are out for delivery and their households are told the van
    is coming. Returns how many orders left."""
    if round_.driver_id not in (None, actor.pk) and not actor.has_perm("routing.plan_rounds"):
        raise ValidationError(_("Only the round's driver can start it."), code="not_the_driver")
    # The home stops: a medication order's pickup stop is the same order, and its household is told the time the
    # van reaches their door, once.
    leaving = list(
        Stop.objects.filter(
            round=round_, kind=Stop.Kind.DELIVERY, order__status=DeliveryOrder.Status.PLANNED
        ).select_related("order__plan__request__household")
    )
    count = orders_move(
        DeliveryOrder.objects.filter(pk__in=[stop.order_id for stop in leaving]),
        current=DeliveryOrder.Status.PLANNED,
        to=DeliveryOrder.Status.OUT_FOR_DELIVERY,
    )
    for stop in leaving:  # each household hears the van is coming, with its time
        notification_create(
            request=stop.order.plan.request,
            event=Notification.Event.ON_THE_WAY,
            time=timezone.localtime(stop.arrival_at).strftime("%H:%M"),
        )
    return count


@transaction.atomic
def stop_mark_delivered(
    *,
    actor,
    stop: Stop,
    received_by: str = "",
    done_at: dt.datetime | None = None,
    signature: ContentFile | None = None,
    photo: ContentFile | None = None,
) -> Stop:
    """Record the hand-over: the reserved stock leaves the ledger and the requester is told.

    `done_at` is when it happened at the door, which a phone without signal sends later; `signature` and `photo`
    are checked proof files (delivery.proof). A medication order's home stop waits for its pickup."""
    stop = _lock_pending_stop(stop)
    home_stop_check(stop)
    order = stop.order
    order_dispatch_stock(actor=actor, order=order, on=stop.round.date)
    stop.outcome = Stop.Outcome.DELIVERED
    stop.received_by = received_by.strip()
    stop.recorded_at = done_at or timezone.now()
    order_move(order, DeliveryOrder.Status.DELIVERED)
    # Files after the steps that can refuse, so a refused delivery leaves no file behind.
    proof = proof_attach(stop, signature=signature, photo=photo)
    stop.save(update_fields=["outcome", "received_by", "recorded_at", *proof])
    notification_create(request=order.plan.request, event=Notification.Event.DELIVERED)
    return stop


@transaction.atomic
def stop_mark_failed(*, actor, stop: Stop, reason: str, done_at: dt.datetime | None = None) -> Stop:
    """Record a failed visit: the stock goes back; after DELIVERY_FAILURE_UNDO_S (while the driver may still take
    a wrong tap back, `stop_failure_undo`) the order returns for its next day and the household is told.

    `done_at` is when the driver stood at the door, if the phone sent it later. A pharmacy pickup fails the same
    way, with its own reasons, and takes the order's home stop on the round with it."""
    if reason not in Stop.FailureReason.values:
        raise ValidationError(_("Choose why the delivery failed; nothing was saved."), code="failure_reason_missing")
    stop = _lock_pending_stop(stop)
    failure_reason_check(stop, reason)
    if stop.kind == Stop.Kind.DELIVERY:
        home_stop_check(stop)
    order = stop.order
    order_release_stock(order=order)
    stop.outcome = Stop.Outcome.FAILED
    stop.failure_reason = reason
    stop.recorded_at = done_at or timezone.now()
    stop.save(update_fields=["outcome", "failure_reason", "recorded_at"])
    if stop.kind == Stop.Kind.PICKUP:
        home_stop_fail_with_pickup(stop)
    order.failed_attempts += 1
    order_move(order, DeliveryOrder.Status.FAILED, fields=("failed_attempts",))
    delay = settings.DELIVERY_FAILURE_UNDO_S
    if not delay:
        _failure_settle(stop, order)
        return stop
    from delivery.tasks import stop_failure_settle_task

    stop_id = stop.pk
    transaction.on_commit(lambda: stop_failure_settle_task.apply_async((stop_id,), countdown=delay), robust=True)
    return stop


@transaction.atomic
def stop_failure_settle(*, stop_id: int) -> bool:
    """Once the undo time is over: the failed order gets its next day and the household is told. Safe to run
    twice, and does nothing for a failure taken back. Returns whether it settled the failure."""
    stop = Stop.objects.select_for_update().select_related("round").get(pk=stop_id)
    order = DeliveryOrder.objects.select_for_update().get(pk=stop.order_id)
    if stop.outcome != Stop.Outcome.FAILED or order.status != DeliveryOrder.Status.FAILED:
        return False
    _failure_settle(stop, order)
    return True


@transaction.atomic
def stop_failure_undo(*, actor, stop: Stop) -> Stop:
    """Take back a failure recorded by mistake, while nothing has been sent: the stop is to be visited again and
    its stock reserved again. A failed pickup is taken back with the home stop that failed with it."""
    stop = Stop.objects.select_for_update().select_related("round").get(pk=stop.pk)
    if stop.round.driver_id not in (None, actor.pk) and not actor.has_perm("routing.plan_rounds"):
        raise ValidationError(_("Only the round's driver can take back a failed delivery."), code="not_the_driver")
    if home_stop_failed_with_pickup(stop):
        raise ValidationError(
            _("This stop failed because its pharmacy pickup did; take back the pickup's failure instead."),
            code="undo_the_pickup",
        )
    order = DeliveryOrder.objects.select_for_update().get(pk=stop.order_id)
    if stop.outcome != Stop.Outcome.FAILED or order.status != DeliveryOrder.Status.FAILED:
        raise ValidationError(
            _("Too late to take this back: the household has been told and the order has a new day."),
            code="failure_settled",
        )
    lines = [
        (line.pack, line.quantity) for line in order.lines.select_related("pack").prefetch_related("pack__components")
    ]
    try:
        order_reserve_stock(order=order, pack_quantities=lines)
    except InsufficientStock as exc:
        raise ValidationError(
            _("The packs' stock went to other orders meanwhile; the failure stays recorded."), code="stock_gone"
        ) from exc
    stop.outcome = Stop.Outcome.PENDING
    stop.failure_reason = ""
    stop.recorded_at = None
    stop.save(update_fields=["outcome", "failure_reason", "recorded_at"])
    if stop.kind == Stop.Kind.PICKUP:
        home_stop_restore(stop)
    order.failed_attempts -= 1
    # The van stood at the door: the round was under way.
    order_move(order, DeliveryOrder.Status.OUT_FOR_DELIVERY, fields=("failed_attempts",))
    return stop


def _failure_settle(stop: Stop, order: DeliveryOrder) -> None:
    # The stop keeps the failure; the order comes back on its next allowed day (no Sunday, holiday or day the
    # household is away), ahead of the others. The calendar finding none within months: the next day, for a person.
    order.due_date = next_allowed_day(order, stop.round.date) or stop.round.date + dt.timedelta(days=1)
    order.priority = max(Priority.URGENT, order.priority - 1)
    order_move(order, DeliveryOrder.Status.RESCHEDULED, fields=("due_date", "priority"))
    notification_create(
        request=order.plan.request,
        event=Notification.Event.DELIVERY_FAILED,
        date=day_text(order.due_date),
    )
    if order.failed_attempts >= FAILURES_BEFORE_SOCIAL_WORKER:
        transaction.on_commit(lambda: _social_worker_told(order, stop), robust=True)


FAILURES_BEFORE_SOCIAL_WORKER = 2


def _social_worker_told(order: DeliveryOrder, stop: Stop) -> None:
    """Twice nobody could take the aid: the household's social workers should call them."""
    request = order.plan.request
    workers = [w.email for w in request.zone.social_workers.all() if w.email] if request.zone else []
    if not workers:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Reparto: %(reference)s could not be delivered %(count)s times")
            % {"reference": request.reference, "count": order.failed_attempts},
            _(
                "%(name)s, %(address)s: the last visit on %(date)s failed (%(reason)s). The order is due again on "
                "%(due)s. Please get in touch with the household."
            )
            % {
                "name": order.household.full_name,
                "address": order.household.address,
                "date": day_text(stop.round.date),
                "reason": stop.get_failure_reason_display(),
                "due": day_text(order.due_date),
            },
            None,
            workers,
        )
