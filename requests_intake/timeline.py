"""The household's story on its record: requests, decisions, delivery orders and outcomes, notifications and
messages in one list, newest first, read with a fixed number of queries however long the story is."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Stop, WelfareConcern
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidRequest, Household, Intervention, Notification, RequestMessage

DECISIONS = {
    AidRequest.Status.APPROVED,
    AidRequest.Status.REJECTED,
    AidRequest.Status.REFERRED,
    AidRequest.Status.MORE_INFO,
    AidRequest.Status.INFO_ONLY,
}


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str  # request, decision, order, planned, delivered, failed, notification, message, intervention, concern
    title: str
    detail: str = ""
    who: str = ""
    reference: str = ""
    tone: str = ""  # "" or "danger"/"warn": how the page marks it
    link: str = ""  # where the event can be acted on: an open order's change page (reschedule, cancel)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _decision_detail(row) -> str:
    if row.status == AidRequest.Status.REJECTED:
        code = row.get_rejection_code_display() if row.rejection_code else ""
        return " · ".join(part for part in (code, row.rejection_reason) if part)
    if row.status == AidRequest.Status.REFERRED:
        return row.referred_to
    if row.status == AidRequest.Status.MORE_INFO:
        return row.information_needed
    return ""


def _decision(row, reference: str) -> Event:
    return Event(
        at=row.decided_at or row.history_date,
        kind="decision",
        title=_("Decision: %(status)s") % {"status": row.get_status_display()},
        detail=_decision_detail(row),
        who=_name(row.decided_by) or _name(getattr(row, "history_user", None)),
        reference=reference,
        tone="danger" if row.status == AidRequest.Status.REJECTED else "",
    )


def _decisions(requests: list[AidRequest]) -> list[Event]:
    """Every decision, not only the last: the request's history holds each status it went through."""
    references = {r.pk: r.reference or "" for r in requests}
    rows = (
        AidRequest.history.filter(id__in=references)
        .select_related("decided_by", "history_user")
        .order_by("id", "history_date", "history_id")
    )
    events, previous, decided = [], {}, set()
    for row in rows:
        step = (row.status, row.decided_at)
        if row.status in DECISIONS and previous.get(row.id) != step:
            events.append(_decision(row, references[row.id]))
            decided.add(row.id)
        previous[row.id] = step
    # A request saved without history (a bulk import) still shows its current decision.
    for request in requests:
        if request.pk not in decided and request.status in DECISIONS and request.decided_at:
            events.append(_decision(request, references[request.pk]))
    return events


def _orders(household: Household) -> list[Event]:
    orders = (
        DeliveryOrder.objects.filter(household=household)
        .select_related("plan__request")
        .prefetch_related(Prefetch("lines", queryset=DeliveryOrderLine.objects.select_related("pack")))
    )
    events = []
    for order in orders:
        packs = ", ".join(f"{line.quantity} × {line.pack.name}" for line in order.lines.all())
        events.append(
            Event(
                at=order.created_at,
                kind="order",
                title=_("Delivery order for %(date)s") % {"date": day_text(order.due_date)},
                detail=f"{packs} · {order.get_status_display()}" if packs else order.get_status_display(),
                reference=order.plan.request.reference or "",
                tone="danger" if order.status == DeliveryOrder.Status.CANCELLED else "",
                link=""
                if order.status in (DeliveryOrder.Status.DELIVERED, DeliveryOrder.Status.CANCELLED)
                else reverse("order_change", args=[order.pk]),
            )
        )
    return events


def _stops(household: Household) -> list[Event]:
    # The medication's pickup at the pharmacy is on the plan's chain of custody page; the story tells the home visits.
    stops = (
        Stop.objects.deliveries()
        .filter(order__household=household)
        .select_related("round__driver", "order__plan__request")
    )
    events = []
    for stop in stops:
        reference = stop.order.plan.request.reference or ""
        driver = _name(stop.round.driver)
        if stop.outcome == Stop.Outcome.PENDING:
            arrival = timezone.localtime(stop.arrival_at).strftime("%H:%M")
            title = _("On the round of %(date)s, arriving around %(time)s") % {
                "date": day_text(stop.round.date),
                "time": arrival,
            }
            events.append(Event(stop.arrival_at, "planned", title, who=driver, reference=reference))
        elif stop.outcome == Stop.Outcome.DELIVERED:
            detail = _("Received by %(name)s") % {"name": stop.received_by} if stop.received_by else ""
            at = stop.recorded_at or stop.arrival_at
            events.append(Event(at, "delivered", _("Delivered"), detail, driver, reference))
        else:
            at = stop.recorded_at or stop.arrival_at
            events.append(
                Event(at, "failed", _("Not delivered"), stop.get_failure_reason_display(), driver, reference, "danger")
            )
    return events


def _notifications(request_ids: list[int], references: dict[int, str]) -> list[Event]:
    events = []
    for notification in Notification.objects.filter(request_id__in=request_ids):
        status = notification.get_status_display()
        if notification.status == Notification.Status.FAILED and notification.last_error:
            status = f"{status}: {notification.last_error}"
        if notification.fallback_from:
            names = dict(settings.REQUESTER_LANGUAGES)
            language = names.get(notification.fallback_from, notification.fallback_from)
            note = _("sent in Spanish: there is no %(language)s text for this message") % {"language": language}
            status = f"{status} · {note}"
        events.append(
            Event(
                at=notification.created_at,
                kind="notification",
                title=_("Requester told: %(event)s") % {"event": notification.get_event_display()},
                detail=f"{notification.get_channel_display()} · {status}",
                who=notification.recipient,
                reference=references[notification.request_id],
                tone="danger" if notification.status == Notification.Status.FAILED else "",
            )
        )
    return events


def _messages(request_ids: list[int], references: dict[int, str]) -> list[Event]:
    events = []
    for message in RequestMessage.objects.filter(request_id__in=request_ids):
        events.append(
            Event(
                at=message.created_at,
                kind="message",
                title=f"{message.get_direction_display()} · {message.get_channel_display()}",
                detail=Truncator(message.body).chars(300),
                who=message.sender,
                reference=references[message.request_id],
            )
        )
    return events


def _interventions(household: Household) -> list[Event]:
    events = []
    for note in Intervention.objects.filter(household=household).select_related("author"):
        minutes = _("%(minutes)s min") % {"minutes": note.duration_minutes}
        events.append(
            Event(
                # A note is dated by the day it happened; the time it was written orders notes of the same day.
                at=timezone.make_aware(dt.datetime.combine(note.date, timezone.localtime(note.created_at).time())),
                kind="intervention",
                title=_("Intervention: %(kind)s") % {"kind": note.get_kind_display()},
                detail=" · ".join(part for part in (note.topic, minutes, Truncator(note.note).chars(300)) if part),
                who=_name(note.author),
            )
        )
    return events


def _concerns(household: Household) -> list[Event]:
    """A driver's concern, from the day it was raised; once resolved, what was done and how it ended."""
    concerns = WelfareConcern.objects.filter(household=household).select_related("raised_by", "owner", "resolved_by")
    events = []
    for concern in concerns:
        status = concern.get_status_display()
        if concern.owner_id:
            status = f"{status} · {_name(concern.owner)}"
        events.append(
            Event(
                at=concern.created_at,
                kind="concern",
                title=_("A driver's concern"),
                detail=" · ".join((Truncator(concern.text).chars(300), status)),
                who=_name(concern.raised_by),
                tone="" if concern.status == WelfareConcern.Status.RESOLVED else "warn",
            )
        )
        if concern.status == WelfareConcern.Status.RESOLVED:
            events.append(
                Event(
                    at=concern.resolved_at,
                    kind="concern",
                    title=_("Concern resolved"),
                    detail=" · ".join(
                        Truncator(part).chars(300) for part in (concern.action_taken, concern.closing_note)
                    ),
                    who=_name(concern.resolved_by),
                )
            )
    return events


def household_timeline(household: Household, *, case_notes: bool = False) -> list[Event]:
    """Everything that happened to the household, newest first (seven queries, whatever the number of events).

    Case notes (interventions) and drivers' welfare concerns come in only with `case_notes`: only the zone's social
    workers and managers read them, and the record is also shown to intake."""
    requests = list(household.requests.select_related("registered_by", "decided_by"))
    references = {r.pk: r.reference or "" for r in requests}
    request_ids = list(references)
    events = [
        Event(
            at=r.received_at,
            kind="request",
            title=_("Request received by %(channel)s") % {"channel": r.get_channel_display()},
            detail=", ".join(r.need_labels),
            who=_name(r.registered_by),
            reference=references[r.pk],
        )
        for r in requests
    ]
    events += _decisions(requests)
    events += _orders(household)
    events += _stops(household)
    events += _notifications(request_ids, references)
    events += _messages(request_ids, references)
    if case_notes:
        events += _interventions(household)
        events += _concerns(household)
    # Stable on equal times: a request comes before its decision, so newest first shows the decision on top.
    order = {kind: i for i, kind in enumerate(["request", "decision", "order", "planned", "delivered", "failed"])}
    return sorted(events, key=lambda e: (e.at, order.get(e.kind, len(order))), reverse=True)
