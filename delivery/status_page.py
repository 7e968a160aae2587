"""The requester's status page (`/estado/<token>/`): what it shows, and the two things the person may do there.

It promises the request's status, the next delivery's day and window, how to change it, and the first name: no
surname, address, phone or document, because whoever holds the link reads it. Confirming and asking for another
day are each done once per link."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Stop
from logistics.calendar import next_allowed_day
from logistics.changes import order_reschedule
from logistics.models import DeliveryOrder
from logistics.windows import arrival_window
from requests_intake.models import Channel, RequestMessage, StatusLink

logger = logging.getLogger(__name__)

S = DeliveryOrder.Status
# An order still to come to the door or be collected: what "next delivery" means on the page.
UPCOMING = (S.PENDING, S.SHORT, S.RESERVED, S.PLANNED, S.OUT_FOR_DELIVERY, S.RESCHEDULED)


@dataclass(frozen=True)
class NextDelivery:
    order_id: int
    day: dt.date
    start: dt.time
    end: dt.time
    pickup: bool
    depot: str


@dataclass(frozen=True)
class StatusView:
    """Everything the page may show, and nothing more."""

    first_name: str
    reference: str
    status: str
    next_delivery: NextDelivery | None
    confirmed_for: dt.date | None
    another_day_asked: bool


def _next_order(link: StatusLink) -> DeliveryOrder | None:
    return (
        DeliveryOrder.objects.filter(
            plan__request=link.request, status__in=UPCOMING, due_date__gte=timezone.localdate()
        )
        .select_related("household", "warehouse")
        .order_by("due_date", "pk")
        .first()
    )


def _next_delivery(order: DeliveryOrder | None) -> NextDelivery | None:
    if order is None:
        return None
    start, end = order.window_start, order.window_end
    # The home stop: a medication order also has a pickup at the pharmacy earlier on the round.
    stop = Stop.objects.deliveries().filter(order=order, outcome=Stop.Outcome.PENDING).only("arrival_at").first()
    if stop is not None:
        # Once planned, the window told is the one the route sheet prints (logistics.windows).
        start, end = arrival_window(order, stop.arrival_at)
    return NextDelivery(
        order_id=order.pk,
        day=order.due_date,
        start=start,
        end=end,
        pickup=order.mode == DeliveryOrder.Mode.PICKUP,
        depot=order.warehouse.name,
    )


def status_view(link: StatusLink) -> StatusView:
    request = link.request
    return StatusView(
        first_name=request.household.given_name,
        reference=request.reference or "",
        status=request.get_status_display(),
        next_delivery=_next_delivery(_next_order(link)),
        confirmed_for=link.confirmed_for,
        another_day_asked=link.another_day_at is not None,
    )


def _locked(link: StatusLink) -> StatusLink:
    return StatusLink.objects.select_for_update().select_related("request__household").get(pk=link.pk)


@transaction.atomic
def status_confirm(*, link: StatusLink) -> StatusLink:
    """The person says they will be there for the next delivery; once per link."""
    link = _locked(link)
    if link.confirmed_at is not None:
        raise ValidationError(_("You already confirmed this delivery. Thank you."), code="already_confirmed")
    order = _next_order(link)
    if order is None:
        raise ValidationError(_("There is no delivery to confirm."), code="nothing_to_confirm")
    link.confirmed_at, link.confirmed_for = timezone.now(), order.due_date
    link.save(update_fields=["confirmed_at", "confirmed_for"])
    return link


def _to_intake(link: StatusLink, body: str) -> None:
    RequestMessage.objects.create(
        request=link.request, direction=RequestMessage.Direction.INBOUND, channel=Channel.WEB_FORM, body=body
    )


@transaction.atomic
def status_ask_another_day(*, link: StatusLink) -> dt.date | None:
    """Move the next delivery to the next day the household allows (the person is told the new day); when it
    cannot be moved, intake reads the wish in its inbox. Returns the new day, or None if a person will call."""
    link = _locked(link)
    if link.another_day_at is not None:
        raise ValidationError(
            _("You already asked for another day; we will tell you the new day."), code="already_asked"
        )
    order = _next_order(link)
    if order is None:
        raise ValidationError(_("There is no delivery to move."), code="nothing_to_move")
    link.another_day_at = timezone.now()
    link.save(update_fields=["another_day_at"])
    day = next_allowed_day(order, order.due_date)
    if day is not None:
        try:
            # A savepoint: a refused move rolls back alone and the wish still reaches intake.
            with transaction.atomic():
                order_reschedule(actor=None, order=order, due_date=day, why="asked on the status page")
        except ValidationError as exc:
            logger.info("status page: order %s could not move to %s: %s", order.pk, day, exc.messages)
        else:
            return day
    _to_intake(
        link,
        _("Asked on the status page for another day instead of %(date)s; it could not be moved by itself.")
        % {"date": day_text(order.due_date)},
    )
    return None
