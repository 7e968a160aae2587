"""Changing an order after approval: a new day or window, collected instead of delivered (or back), other packs,
called off with a reason, or its whole plan ended.

Every change keeps four records agreeing, in one transaction: the order's status (through the lifecycle table),
its stock holds (released or taken again through inventory's reservation functions), its stop (taken off a round
it no longer belongs on, the round re-timed) and what the household was told (a message in its language and
channel). The order's and the stop's history (django-simple-history) keep who changed what and why. A change that
is refused leaves all four as they were."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from inventory.models import Pack
from inventory.reservations import InsufficientStock, order_release_stock, order_reserve_stock
from logistics.calendar import day_refusal
from logistics.lifecycle import AWAITING_STOCK, order_move
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.services import order_reserve
from requests_intake.decisions import plan_stop_repeating
from requests_intake.models import AidPlan, Notification
from requests_intake.notifications import notification_create

# Declared upward import (logistics → routing): an order that changes must leave the round it was planned on,
# and only the board knows how to close up and re-time a round.
from routing.stop_removal import order_stop_refusal, order_stop_remove

logger = logging.getLogger(__name__)

S = DeliveryOrder.Status
# Orders that hold stock in the ledger: a change of day or packs takes it again for the new day or packs.
HOLDING_STOCK = (S.RESERVED, S.PLANNED)
CancelReason = DeliveryOrder.CancelReason


def _locked(order: DeliveryOrder) -> DeliveryOrder:
    """The order afresh and locked, or a refusal (with a code) when it can no longer change."""
    order = (
        DeliveryOrder.objects.select_for_update(of=("self",))
        .select_related("household", "plan__request__household", "warehouse")
        .get(pk=order.pk)
    )
    if order.status == S.CANCELLED:
        raise ValidationError(
            _("Order %(order)s is already cancelled; nothing was changed.") % {"order": order.pk},
            code="order_cancelled",
        )
    refusal = order_stop_refusal(order)
    if refusal is not None:
        raise refusal
    if order.status == S.DELIVERED:
        raise ValidationError(
            _("Order %(order)s was already delivered; nothing was changed.") % {"order": order.pk},
            code="order_delivered",
        )
    return order


def _off_the_round(actor, order: DeliveryOrder) -> None:
    """Take the order off its round; a planned order waits, reserved, for the next plan of its day."""
    order_stop_remove(actor=actor, order=order)
    if order.status == S.PLANNED:
        order_move(order, S.RESERVED)


def _take_stock_again(order: DeliveryOrder) -> None:
    """Release the order's holds and reserve its lines again (for its new day or packs), all or nothing."""
    order_release_stock(order=order)
    lines = [
        (line.pack, line.quantity) for line in order.lines.select_related("pack").prefetch_related("pack__components")
    ]
    try:
        with transaction.atomic():
            order_reserve_stock(order=order, pack_quantities=lines)
    except InsufficientStock as exc:
        raise ValidationError(
            _("There is not enough stock for this change; nothing was changed. %(detail)s") % {"detail": exc},
            code="insufficient_stock",
        ) from exc


def _tell_new_day(order: DeliveryOrder) -> Notification:
    return notification_create(
        request=order.plan.request,
        event=Notification.Event.RESCHEDULED,
        date=day_text(order.due_date),
        start=order.window_start.strftime("%H:%M"),
        end=order.window_end.strftime("%H:%M"),
        pickup=order.mode == DeliveryOrder.Mode.PICKUP,
        depot=order.warehouse.name,
    )


@transaction.atomic
def order_reschedule(
    *,
    actor,
    order: DeliveryOrder,
    due_date: dt.date,
    window_start: dt.time | None = None,
    window_end: dt.time | None = None,
    mode: str | None = None,
    why: str = "",
) -> DeliveryOrder:
    """Move the order to another day (and window, and way of handing over): off its round, its stock taken again
    for the new day, the household told. Refused with a code when the day or window is not allowed."""
    order = _locked(order)
    window_start = window_start or order.window_start
    window_end = window_end or order.window_end
    mode = mode or order.mode
    if mode not in DeliveryOrder.Mode.values:
        raise ValidationError(_("There is no delivery mode “%(mode)s”.") % {"mode": mode}, code="invalid_mode")
    if window_end <= window_start:
        raise ValidationError(_("The window must end after it starts; nothing was changed."), code="window_order")
    if due_date < timezone.localdate():
        raise ValidationError(
            _("%(date)s has passed: choose today or a later day.") % {"date": day_text(due_date)}, code="date_passed"
        )
    if (due_date, window_start, window_end, mode) == (order.due_date, order.window_start, order.window_end, order.mode):
        raise ValidationError(_("That is the order's day, window and mode already."), code="unchanged")
    refusal = day_refusal(order, due_date)
    if refusal is not None:
        raise refusal
    _off_the_round(actor, order)
    order.due_date, order.window_start, order.window_end, order.mode = due_date, window_start, window_end, mode
    order._change_reason = why or "rescheduled"
    order.save(update_fields=["due_date", "window_start", "window_end", "mode"])
    if order.status in HOLDING_STOCK:
        # Availability is counted on the day (lots may expire before it): the holds are taken for the new day.
        _take_stock_again(order)
    elif order.status in AWAITING_STOCK:
        order_reserve(order=order)
    _tell_new_day(order)
    logger.info("%s rescheduled order %s to %s (%s)", actor, order.pk, due_date, mode)
    return order


def order_switch_mode(*, actor, order: DeliveryOrder, mode: str) -> DeliveryOrder:
    """Home delivery ↔ collected at the depot, on the same day: a thin reschedule."""
    return order_reschedule(actor=actor, order=order, due_date=order.due_date, mode=mode, why="mode changed")


@transaction.atomic
def order_change_packs(*, actor, order: DeliveryOrder, packs: dict[int, int]) -> DeliveryOrder:
    """Replace the order's packs (pack id → quantity): the holds of the old packs go back and the new ones are
    reserved, all or nothing. The stop stays where it is: the round is the same, only its load changes."""
    order = _locked(order)
    if not packs:
        raise ValidationError(_("An order needs at least one pack; nothing was changed."), code="no_packs")
    for pack_id, quantity in packs.items():
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationError(
                _("Pack %(pack)s: the quantity must be a whole number from 1; nothing was changed.")
                % {"pack": pack_id},
                code="invalid_quantity",
            )
    found = Pack.objects.in_bulk(list(packs))
    missing = sorted(set(packs) - set(found))
    if missing:
        raise ValidationError(
            _("There is no pack %(pack)s; nothing was changed.") % {"pack": missing[0]}, code="unknown_pack"
        )
    order.lines.all().delete()
    DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=order, pack=found[pack_id], quantity=quantity)
        for pack_id, quantity in sorted(packs.items())
    )
    if order.status in HOLDING_STOCK:
        _take_stock_again(order)
    elif order.status in AWAITING_STOCK:
        order_reserve(order=order)
    order._change_reason = "packs changed"
    order.save(update_fields=["notes"])  # one history row saying the packs changed
    logger.info("%s changed the packs of order %s", actor, order.pk)
    return order


@transaction.atomic
def order_call_off(*, actor, order: DeliveryOrder, reason: str, note: str = "", tell: bool = True) -> DeliveryOrder:
    """Cancel the order with a reason code: off its round, its stock back on the shelf, the household told."""
    if reason not in CancelReason.values:
        raise ValidationError(
            _("Choose why the order is cancelled; nothing was changed."), code="invalid_cancel_reason"
        )
    order = _locked(order)
    _off_the_round(actor, order)
    order_release_stock(order=order)
    order.cancel_reason = reason
    if note.strip():
        order.notes = "\n".join(part for part in (order.notes, note.strip()) if part)[-300:]
    order._change_reason = f"cancelled: {reason}"
    order_move(order, S.CANCELLED, fields=("cancel_reason", "notes"))
    if tell:
        notification_create(
            request=order.plan.request,
            event=Notification.Event.CANCELLED,
            date=day_text(order.due_date),
            reason=CancelReason(reason).label,
        )
    logger.info("%s cancelled order %s (%s)", actor, order.pk, reason)
    return order


def _open(orders: Iterable[DeliveryOrder]) -> list[DeliveryOrder]:
    return [o for o in orders if o.status not in (S.DELIVERED, S.CANCELLED)]


@transaction.atomic
def plan_end(*, actor, plan: AidPlan, reason: str = CancelReason.PLAN_ENDED) -> list[DeliveryOrder]:
    """End a plan today: no more orders are made from it and its open orders are cancelled (the household is told
    once). Refused, with nothing changed, while one of its orders is on a van."""
    if reason not in CancelReason.values:
        raise ValidationError(
            _("Choose why the order is cancelled; nothing was changed."), code="invalid_cancel_reason"
        )
    plan = plan_stop_repeating(actor=actor, plan=plan)
    open_orders = _open(plan.orders.order_by("due_date", "pk"))
    cancelled = [
        order_call_off(actor=actor, order=order, reason=reason, tell=index == 0)
        for index, order in enumerate(open_orders)
    ]
    logger.info("%s ended plan %s; %s orders cancelled", actor, plan.pk, len(cancelled))
    return cancelled
