"""SÍ and NO by SMS, WhatsApp or e-mail: the requester confirms the next delivery, or asks for another day.

Intake stores the reply and calls these (requests_intake.conversations registers them at start-up, because intake
may not import the orders). A reply is matched to the next delivery of the households reached at the sender's
phone or e-mail on record, or of the requests written from it, and to nothing else."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.dates import day_text
from delivery.status_page import UPCOMING, _next_delivery, status_confirm
from logistics.calendar import next_allowed_day
from logistics.changes import order_reschedule
from logistics.models import DeliveryOrder
from requests_intake.conversations import OrderReplies
from requests_intake.models import AidRequest, KeywordAction, Notification
from requests_intake.notifications import notification_create
from requests_intake.status_links import status_link_for

logger = logging.getLogger(__name__)


def _reached_at(contact: str) -> Q:
    on_record = Q(household__email__iexact=contact) if "@" in contact else Q(household__phone=contact)
    return (on_record & Q(household__merged_into__isnull=True)) | Q(plan__request__contact__iexact=contact)


def next_order_for_contact(contact: str) -> DeliveryOrder | None:
    """The soonest delivery still to come for the sender, or None."""
    return (
        DeliveryOrder.objects.filter(_reached_at(contact), status__in=UPCOMING, due_date__gte=timezone.localdate())
        .select_related("plan__request", "warehouse")
        .order_by("due_date", "window_start", "pk")
        .first()
    )


def reply_request_for(contact: str) -> AidRequest | None:
    order = next_order_for_contact(contact)
    return order.plan.request if order is not None else None


def _tell(order: DeliveryOrder, event: str) -> None:
    delivery = _next_delivery(order)
    notification_create(
        request=order.plan.request,
        event=event,
        date=day_text(delivery.day),
        start=delivery.start.strftime("%H:%M"),
        end=delivery.end.strftime("%H:%M"),
        pickup=delivery.pickup,
        depot=delivery.depot,
    )


def _confirm(order: DeliveryOrder) -> str:
    try:
        # The same record the status page keeps, so the page shows the day as confirmed.
        status_confirm(link=status_link_for(order.plan.request))
    except ValidationError as exc:  # the request's next order went meanwhile: the answer still thanks them
        logger.info("reply SÍ: order %s not marked confirmed: %s", order.pk, exc.messages)
    _tell(order, Notification.Event.CONFIRMED)
    return KeywordAction.CONFIRMED


def _move(order: DeliveryOrder, *, channel_label: str) -> str:
    day = next_allowed_day(order, order.due_date)
    if day is not None:
        try:
            # A savepoint: a refused move rolls back alone and the reply still reaches intake.
            with transaction.atomic():
                # order_reschedule takes it off its round, reserves for the new day and tells the new day.
                order_reschedule(actor=None, order=order, due_date=day, why=f"answered NO by {channel_label}")
        except ValidationError as exc:
            logger.info("reply NO: order %s could not move to %s: %s", order.pk, day, exc.messages)
        else:
            return KeywordAction.MOVED
    _tell(order, Notification.Event.MOVE_ASKED)
    return KeywordAction.MOVE_ASKED


@transaction.atomic
def order_reply_act(*, contact: str, confirm: bool, channel: str = "") -> str:
    """Confirm (SÍ) or move to the next day the household allows (NO) the sender's next delivery, and answer.
    A NO that cannot be moved by itself is answered that someone will call; its message stays unread for intake."""
    order = next_order_for_contact(contact)
    if order is None:  # intake checked there was one; it went meanwhile
        return KeywordAction.MOVE_ASKED
    order = DeliveryOrder.objects.select_for_update(of=("self",)).select_related("plan__request").get(pk=order.pk)
    if confirm:
        return _confirm(order)
    return _move(order, channel_label=channel or "message")


ORDER_REPLIES = OrderReplies(request_for=reply_request_for, act=order_reply_act)
