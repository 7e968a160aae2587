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
from logistics.calendar import nearest_allowed_day_for, next_allowed_day_for, recurring_tolerance, who_of
from logistics.lifecycle import AWAITING_STOCK, may_move, order_move
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.orders import order_depot, order_mode
from logistics.windows import order_window
from requests_intake.models import AidPlan, AidRequest
from requests_intake.recurrence import lines_on, plan_occurrences

logger = logging.getLogger(__name__)


@transaction.atomic
def order_create_for_plan(
    *, plan: AidPlan, due_date: dt.date | None = None, nominal: dt.date | None = None, flex_days: int | None = None
) -> DeliveryOrder:
    """Turn an approved plan into a delivery order (its first, or a later one of a recurring plan) and try to
    reserve its stock at once. Without `due_date`, the first delivery falls on the allowed day (logistics.calendar)
    nearest the plan's first date; `nominal` is the plan's own date of a recurring delivery moved to `due_date`."""
    household = plan.request.household
    warehouse = order_depot(household)
    mode = order_mode(plan)
    if flex_days is None:
        flex_days = recurring_tolerance(plan.repeat_every_days)
    if due_date is None:
        due_date = _first_day(plan, who_of(household, warehouse.pk, home=mode == DeliveryOrder.Mode.HOME), flex_days)
    window_start, window_end = order_window(household)
    order = DeliveryOrder.objects.create(
        plan=plan,
        household=household,
        warehouse=warehouse,
        window_start=window_start,
        window_end=window_end,
        mode=mode,
        due_date=due_date,
        flex_days=flex_days,
        priority=plan.priority,
        notes=plan.notes,
    )
    DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=order, pack=line.pack, quantity=line.quantity)
        for line in lines_on(plan, plan.lines.all(), nominal or order.due_date)
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
            _("This order is already “%(status)s”; nothing was changed.") % {"status": order.get_status_display()},
            code="not_cancellable",
        )
    if not reason.strip():
        raise ValidationError(_("Say why the order is cancelled."), code="cancel_reason_missing")
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
        tolerance = recurring_tolerance(plan.repeat_every_days)
        # The latest order may have moved up to `tolerance` days from its own date: its date is behind us either way.
        last = plan.last_due + dt.timedelta(days=tolerance) if plan.last_due else plan.first_delivery_on
        after = max(last, today - dt.timedelta(days=1))
        household = plan.request.household
        who = who_of(household, order_depot(household).pk, home=order_mode(plan) == DeliveryOrder.Mode.HOME)
        for nominal in plan_occurrences(plan, after=after, until=until):
            day = nearest_allowed_day_for(who, nominal, tolerance=tolerance, not_before=today)
            if day is None:
                # A holiday week, or the household is away: no delivery this time; the plan goes on after.
                logger.info("plan %s: no allowed day within %s days of %s", plan.pk, tolerance, nominal)
                continue
            created.append(order_create_for_plan(plan=plan, due_date=day, nominal=nominal, flex_days=tolerance))
    return created


def _first_day(plan: AidPlan, who, tolerance: int) -> dt.date:
    """A new approval's first delivery: the first allowed day from the plan's first date (never earlier: the
    social worker chose it, and today's rounds may be out already); else the date itself (the calendar allows
    nothing for months: a person decides)."""
    wanted = max(plan.first_delivery_on, timezone.localdate())
    return (
        nearest_allowed_day_for(who, wanted, tolerance=tolerance, not_before=wanted)
        or next_allowed_day_for(who, wanted)
        or plan.first_delivery_on
    )


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
