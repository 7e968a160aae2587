"""The life of a delivery order, in one place: which status may follow which.

    pending ─┬→ reserved → planned → out for delivery → delivered
             │      └──────────────────────────────────→ delivered (collected at the depot)
             └→ short ⇄ reserved         │     └──────→ failed → rescheduled → reserved …
    (any not yet delivered or failed) → cancelled

A re-plan moves planned orders back to reserved. Every status change goes through `order_move` (one order) or
`orders_move` (a set, for planning), which refuse a change the table does not allow."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.events import emit
from logistics.models import DeliveryOrder

S = DeliveryOrder.Status

NEXT: dict[str, set[str]] = {
    S.PENDING: {S.RESERVED, S.SHORT, S.CANCELLED},
    S.SHORT: {S.RESERVED, S.SHORT, S.CANCELLED},
    S.RESERVED: {S.PLANNED, S.DELIVERED, S.CANCELLED},  # delivered: collected at the depot
    S.PLANNED: {S.RESERVED, S.OUT_FOR_DELIVERY, S.DELIVERED, S.FAILED, S.CANCELLED},
    S.OUT_FOR_DELIVERY: {S.DELIVERED, S.FAILED},
    S.FAILED: {S.RESCHEDULED, S.CANCELLED, S.OUT_FOR_DELIVERY},  # out again: a failure taken back
    S.RESCHEDULED: {S.RESERVED, S.SHORT, S.CANCELLED},
    S.DELIVERED: set(),
    S.CANCELLED: set(),
}
# Orders whose stock still has to be reserved: new, short, or given a new day after a failed visit.
AWAITING_STOCK = (S.PENDING, S.SHORT, S.RESCHEDULED)


def may_move(current: str, to: str) -> bool:
    return to in NEXT[current]


def order_move(order: DeliveryOrder, to: str, *, fields: tuple[str, ...] = ()) -> DeliveryOrder:
    """Change one order's status (and save `fields` with it), or refuse with the two statuses named."""
    if not may_move(order.status, to):
        raise ValidationError(
            _("Order %(order)s cannot go from “%(current)s” to “%(to)s”; nothing was changed.")
            % {"order": order.pk, "current": order.get_status_display(), "to": S(to).label},
            code="invalid_transition",
        )
    order.status = to
    order.save(update_fields=["status", *fields])
    _announce([order.pk], to)
    return order


def orders_move(orders: QuerySet[DeliveryOrder], *, current: str, to: str) -> int:
    """Move every order of `orders` that is in `current` to `to`; the pair must be allowed by the table."""
    if not may_move(current, to):
        raise ValueError(f"{current} → {to} is not a step of the order lifecycle")
    moving = orders.filter(status=current)
    ids = list(moving.values_list("pk", flat=True)) if to in EVENTS else []
    moved = moving.update(status=to)
    _announce(ids, to)
    return moved


# The statuses an outside system hears of (core.events → the API's outbound webhooks), after commit.
EVENTS = {
    S.PLANNED: "order.scheduled",
    S.OUT_FOR_DELIVERY: "order.out_for_delivery",
    S.DELIVERED: "order.delivered",
    S.FAILED: "order.failed",
    S.CANCELLED: "order.cancelled",
}


def _announce(order_ids: list[int], to: str) -> None:
    event = EVENTS.get(to)
    if event is None:
        return
    for order_id in order_ids:
        emit(event, {"order": order_id, "status": str(to)})
