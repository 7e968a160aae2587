"""Delivery orders: made from aid plans, their stock reserved, called off. Outcomes at the door: delivery.services."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.reservations import (
    InsufficientStock,
    order_release_stock,
    order_reserve_stock,
)
from logistics.lifecycle import AWAITING_STOCK, may_move, order_move
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.orders import order_depot, order_mode
from logistics.windows import order_window
from requests_intake.models import AidPlan, AidRequest
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
