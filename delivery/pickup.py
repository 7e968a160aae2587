"""Aid a household collects at the depot: which orders are waiting at the counter, and handing one over."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import moment_text
from inventory.models import Warehouse
from inventory.reservations import order_dispatch_stock
from logistics.lifecycle import order_move
from logistics.models import DeliveryOrder
from requests_intake.models import Notification
from requests_intake.notifications import notification_create

S = DeliveryOrder.Status


def pickups_due(date: dt.date, warehouse: Warehouse | None = None) -> QuerySet[DeliveryOrder]:
    """Pick-up orders with their stock reserved and due by `date` (a household that came late still collects)."""
    orders = DeliveryOrder.objects.filter(mode=DeliveryOrder.Mode.PICKUP, status=S.RESERVED, due_date__lte=date)
    if warehouse is not None:
        orders = orders.filter(warehouse=warehouse)
    return (
        orders.select_related("household", "warehouse", "plan__request")
        .prefetch_related("lines__pack")
        .order_by("due_date", "priority", "pk")
    )


def _refusal(order: DeliveryOrder) -> ValidationError | None:
    """Why this order cannot be handed over at the counter (a ValidationError with a code), or None when it can."""
    if order.mode != DeliveryOrder.Mode.PICKUP:
        return ValidationError(
            _("Order %(order)s is delivered at home, not collected at the depot; nothing was changed.")
            % {"order": order.pk},
            code="not_a_pickup",
        )
    if order.collected_at is not None:
        return ValidationError(
            _("Order %(order)s was already collected by %(name)s on %(date)s; nothing was changed.")
            % {"order": order.pk, "name": order.collected_by, "date": moment_text(order.collected_at)},
            code="already_collected",
        )
    if order.status in (S.PENDING, S.SHORT, S.RESCHEDULED):
        return ValidationError(
            _(
                "Order %(order)s has no stock reserved yet (“%(status)s”): it can be handed over once its stock is "
                "reserved; nothing was changed."
            )
            % {"order": order.pk, "status": order.get_status_display()},
            code="no_stock_reserved",
        )
    if order.status != S.RESERVED:
        return ValidationError(
            _("Order %(order)s is “%(status)s” and cannot be handed over; nothing was changed.")
            % {"order": order.pk, "status": order.get_status_display()},
            code="not_collectable",
        )
    return None


@transaction.atomic
def order_collect(*, actor, order: DeliveryOrder, collected_by: str) -> DeliveryOrder:
    """Hand a pick-up order over at the depot: its reserved stock leaves the ledger, the order is delivered, and
    the requester is told."""
    collected_by = collected_by.strip()
    if not collected_by:
        raise ValidationError(
            {
                "collected_by": ValidationError(
                    _("Write the name of the person collecting the aid; nothing was changed."), code="name_missing"
                )
            }
        )
    longest = DeliveryOrder._meta.get_field("collected_by").max_length
    if len(collected_by) > longest:
        raise ValidationError(
            {
                "collected_by": ValidationError(
                    _("The name can have at most %(count)s characters; nothing was changed.") % {"count": longest},
                    code="too_long",
                )
            }
        )
    # Locked, so two people at the counter cannot hand the same order over twice.
    order = DeliveryOrder.objects.select_for_update().select_related("plan__request").get(pk=order.pk)
    refusal = _refusal(order)
    if refusal is not None:
        raise refusal
    order_dispatch_stock(actor=actor, order=order, on=timezone.localdate())
    order.collected_by = collected_by
    order.collected_at = timezone.now()
    order_move(order, S.DELIVERED, fields=("collected_by", "collected_at"))
    notification_create(request=order.plan.request, event=Notification.Event.DELIVERED)
    return order
