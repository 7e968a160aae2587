"""Delivery orders and their outcomes at the door."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delivery.models import Round, Stop
from inventory.reservations import (
    InsufficientStock,
    order_dispatch_stock,
    order_release_stock,
    order_reserve_stock,
)
from logistics.lifecycle import AWAITING_STOCK, may_move, order_move, orders_move
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.orders import order_depot, order_mode
from logistics.windows import order_window
from logistics.proof import proof_attach
from requests_intake.models import AidPlan, AidRequest, Notification, Priority
from requests_intake.notifications import notification_create
from requests_intake.recurrence import lines_on, plan_occurrences

logger = logging.getLogger(__name__)


@transaction.atomic
def order_create_for_plan(*, plan: AidPlan, due_date: dt.date | None = None) -> DeliveryOrder:
    """Turn an approved plan into a delivery order (its first, or a later one of a recurring plan) and try to
    reserve its stock at once."""
    window_start, window_end = order_window(plan.request.household)
    order = DeliveryOrder.objects.create(
        plan=plan,
        household=plan.request.household,
        warehouse=order_depot(),
        window_start=window_start,
        window_end=window_end,
        mode=order_mode(plan),
        due_date=due_date or plan.first_delivery_on,
        priority=plan.priority,
        notes=plan.notes,
    )
    DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=order, pack=line.pack, quantity=line.quantity)
        for line in lines_on(plan, plan.lines.all(), order.due_date)
    )
    order_reserve(order=order)
    return order


@transaction.atomic
def order_reserve(*, order: DeliveryOrder) -> bool | None:
    """Reserve the order's stock once: True when reserved, False when stock cannot cover it (flagged SHORT, never
    planned), None when the order no longer waits for stock (another pass reserved or cancelled it meanwhile).

    Safe to run from several passes at once: the order's row is locked and its status read afresh, so the second
    pass finds it reserved and leaves it alone."""
    # NO KEY: holds being written for this order elsewhere (an assembly) take a key-share lock on it; a plain
    # FOR UPDATE would make them wait on us while we wait on their items.
    order.status = (
        DeliveryOrder.objects.select_for_update(no_key=True).values_list("status", flat=True).get(pk=order.pk)
    )
    if order.status not in AWAITING_STOCK:
        return None
    lines = [
        (line.pack, line.quantity) for line in order.lines.select_related("pack").prefetch_related("pack__components")
    ]
    try:
        with transaction.atomic():
            order_reserve_stock(order=order, pack_quantities=lines)
    except InsufficientStock:
        order_move(order, DeliveryOrder.Status.SHORT)
        return False
    except IntegrityError:
        # The database holds one active hold per order line and item: this order already holds its stock
        # although its status says it waits (data written before the lock). Leave it as it is.
        logger.warning("order %s already holds stock while %s; not reserved again", order.pk, order.status)
        return None
    order_move(order, DeliveryOrder.Status.RESERVED)
    return True


@transaction.atomic
def order_cancel(*, order: DeliveryOrder, reason: str) -> DeliveryOrder:
    """Call off an order that has not been delivered: its stock goes back; the next re-plan leaves it out."""
    order = DeliveryOrder.objects.select_for_update().get(pk=order.pk)
    if not may_move(order.status, DeliveryOrder.Status.CANCELLED):
        raise ValidationError(
            _("This order is already “%(status)s”; nothing was changed.") % {"status": order.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError(_("Say why the order is cancelled."))
    order_release_stock(order=order)
    order.notes = "\n".join(
        part for part in (order.notes, _("Cancelled: %(reason)s") % {"reason": reason.strip()}) if part
    )
    return order_move(order, DeliveryOrder.Status.CANCELLED, fields=("notes",))


def orders_create_recurring(*, today: dt.date | None = None, days_ahead: int = 2) -> list[DeliveryOrder]:
    """Make the orders of recurring plans due within `days_ahead` days, so stock is reserved before planning.

    Idempotent: only dates after the plan's latest order are made, so running it twice makes nothing new."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=days_ahead)
    plans = (
        AidPlan.objects.filter(
            repeat_every_days__gt=0, request__status=AidRequest.Status.APPROVED, paused_at__isnull=True
        )
        .exclude(repeat_until__lt=today)
        .exclude(valid_until__lt=today)
        .annotate(last_due=Max("orders__due_date"))
        .select_related("request__household")
        .order_by("priority", "pk")
    )
    created = []
    for plan in plans:
        after = max(plan.last_due or plan.first_delivery_on, today - dt.timedelta(days=1))
        for due in plan_occurrences(plan, after=after, until=until):
            created.append(order_create_for_plan(plan=plan, due_date=due))
    return created


def orders_reserve_due(*, date: dt.date) -> tuple[int, int]:
    """Retry reservation for every order due by `date` still waiting for stock; returns (reserved, short).

    Idempotent and safe to run concurrently: an order another pass reserved meanwhile counts in neither."""
    waiting = DeliveryOrder.objects.filter(due_date__lte=date, status__in=AWAITING_STOCK).order_by(
        "priority", "due_date", "pk"
    )
    reserved = short = 0
    for order in waiting:
        outcome = order_reserve(order=order)
        if outcome is True:
            reserved += 1
        elif outcome is False:
            short += 1
    return reserved, short


def _lock_pending_stop(stop: Stop) -> Stop:
    stop = Stop.objects.select_for_update().select_related("order", "round").get(pk=stop.pk)
    if stop.outcome != Stop.Outcome.PENDING:
        raise ValidationError(
            _("This stop was already recorded as “%(outcome)s”; nothing was changed.")
            % {"outcome": stop.get_outcome_display()}
        )
    return stop


@transaction.atomic
def round_start(*, actor, round_: Round) -> int:
    """The van leaves the depot: its planned orders are out for delivery and their households are told the van
    is coming. Returns how many orders left."""
    if round_.driver_id not in (None, actor.pk) and not actor.has_perm("routing.plan_rounds"):
        raise ValidationError(_("Only the round's driver can start it."))
    leaving = list(
        Stop.objects.filter(round=round_, order__status=DeliveryOrder.Status.PLANNED).select_related(
            "order__plan__request__household"
        )
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
    are checked proof files (logistics.proof)."""
    stop = _lock_pending_stop(stop)
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
    """Record a failed visit: the stock goes back, the order returns for the next day with a higher priority.

    `done_at` is when the driver stood at the door, if the phone sent it later."""
    if reason not in Stop.FailureReason.values:
        raise ValidationError(_("Choose why the delivery failed; nothing was saved."))
    stop = _lock_pending_stop(stop)
    order = stop.order
    order_release_stock(order=order)
    stop.outcome = Stop.Outcome.FAILED
    stop.failure_reason = reason
    stop.recorded_at = done_at or timezone.now()
    stop.save(update_fields=["outcome", "failure_reason", "recorded_at"])
    order.failed_attempts += 1
    order_move(order, DeliveryOrder.Status.FAILED, fields=("failed_attempts",))
    # The stop keeps the failure; the order comes back the next day, ahead of the others.
    order.due_date = stop.round.date + dt.timedelta(days=1)
    order.priority = max(Priority.URGENT, order.priority - 1)
    order_move(order, DeliveryOrder.Status.RESCHEDULED, fields=("due_date", "priority"))
    notification_create(
        request=order.plan.request,
        event=Notification.Event.DELIVERY_FAILED,
        date=order.due_date.strftime("%d/%m/%Y"),
    )
    if order.failed_attempts >= FAILURES_BEFORE_SOCIAL_WORKER:
        transaction.on_commit(lambda: _social_worker_told(order, stop), robust=True)
    return stop


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
                "date": stop.round.date.strftime("%d/%m/%Y"),
                "reason": stop.get_failure_reason_display(),
                "due": order.due_date.strftime("%d/%m/%Y"),
            },
            None,
            workers,
        )
