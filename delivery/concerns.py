"""Welfare concerns: what a driver saw at the door that the household's social worker should know."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import moment_text
from delivery.models import Stop, WelfareConcern
from requests_intake.zone_access import in_zones

CONCERN_MAX_CHARS = 1000
# Resolved concerns stay on the page this long, so a colleague can see who closed one and how.
RECENT_DAYS = 14


@transaction.atomic
def concern_raise(*, actor, stop: Stop, text: str) -> WelfareConcern:
    """Keep what the driver wrote about the stop's household and e-mail that zone's social workers."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write what you saw; nothing was sent."), code="text_missing")
    if len(text) > CONCERN_MAX_CHARS:
        raise ValidationError(
            _("Keep the concern under %(limit)s characters (it has %(count)s); nothing was sent.")
            % {"limit": CONCERN_MAX_CHARS, "count": len(text)},
            code="too_long",
        )
    if stop.round.driver_id != actor.pk:
        raise ValidationError(_("Only the round's driver can raise a concern from this stop."), code="not_the_driver")
    concern = WelfareConcern.objects.create(household=stop.order.household, stop=stop, raised_by=actor, text=text)
    transaction.on_commit(lambda: _social_workers_told(concern), robust=True)
    return concern


def _social_workers_told(concern: WelfareConcern) -> None:
    """Only the driver's words, the household's name and the request's reference go out: e-mail is not the place
    for anything more about the household."""
    household = concern.household
    workers = [w.email for w in household.zone.social_workers.all() if w.email] if household.zone else []
    if not workers:
        return
    request = concern.stop.order.plan.request if concern.stop else None
    driver = concern.raised_by.get_full_name() or concern.raised_by.username
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("Reparto: a driver is worried about %(name)s") % {"name": household.full_name},
            _(
                "%(driver)s wrote at the delivery on %(date)s (request %(reference)s):\n\n%(text)s\n\n"
                "See it and mark it as taken up at %(url)s"
            )
            % {
                "driver": driver,
                "date": moment_text(concern.created_at),
                "reference": request.reference if request else "-",
                "text": concern.text,
                "url": settings.SITE_URL.rstrip("/") + reverse("concerns"),
            },
            None,
            workers,
        )


CLOSING_MAX_CHARS = 2000


def _name(user) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def concern_acknowledge(*, actor, concern: WelfareConcern) -> WelfareConcern:
    """Take the concern up ("I'll take it"): the actor owns it and it is in progress, not resolved."""
    concern = WelfareConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != WelfareConcern.Status.OPEN:
        raise ValidationError(
            _("This concern was already taken up by %(who)s; nothing was changed.") % {"who": _name(concern.owner)},
            code="already_taken",
        )
    concern.status = WelfareConcern.Status.IN_PROGRESS
    concern.owner = actor
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = actor
    concern.save(update_fields=["status", "owner", "acknowledged_at", "acknowledged_by"])
    return concern


@transaction.atomic
def concern_resolve(*, actor, concern: WelfareConcern, action_taken: str, closing_note: str) -> WelfareConcern:
    """Close the concern with what was done and a closing note, both required; an open one becomes the actor's."""
    concern = WelfareConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == WelfareConcern.Status.RESOLVED:
        raise ValidationError(
            _("This concern was already resolved by %(who)s; nothing was changed.")
            % {"who": _name(concern.resolved_by)},
            code="already_resolved",
        )
    action_taken, closing_note = (action_taken or "").strip(), (closing_note or "").strip()
    errors = {}
    if not action_taken:
        errors["action_taken"] = ValidationError(
            _("Write the action taken; the concern is still open."), code="action_missing"
        )
    if not closing_note:
        errors["closing_note"] = ValidationError(
            _("Write a closing note; the concern is still open."), code="note_missing"
        )
    for field, text in (("action_taken", action_taken), ("closing_note", closing_note)):
        if len(text) > CLOSING_MAX_CHARS:
            errors[field] = ValidationError(
                _("Keep it under %(limit)s characters (it has %(count)s); the concern is still open.")
                % {"limit": CLOSING_MAX_CHARS, "count": len(text)},
                code="too_long",
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if concern.owner_id is None:
        concern.owner = actor
        concern.acknowledged_at, concern.acknowledged_by = now, actor
    concern.status = WelfareConcern.Status.RESOLVED
    concern.action_taken, concern.closing_note = action_taken, closing_note
    concern.resolved_at, concern.resolved_by = now, actor
    concern.save(
        update_fields=[
            "status",
            "owner",
            "acknowledged_at",
            "acknowledged_by",
            "action_taken",
            "closing_note",
            "resolved_at",
            "resolved_by",
        ]
    )
    return concern


def concerns_for(user) -> QuerySet[WelfareConcern]:
    """Concerns about households in the user's zones (every zone for managers)."""
    concerns = WelfareConcern.objects.select_related(
        "household", "raised_by", "owner", "resolved_by", "stop__round", "stop__order__plan__request"
    )
    return in_zones(concerns, user, "household__zone")


def concerns_unresolved(user) -> QuerySet[WelfareConcern]:
    """The user's concerns still to work: open ones first, then those in progress; oldest first in each."""
    return (
        concerns_for(user)
        .exclude(status=WelfareConcern.Status.RESOLVED)
        .order_by("-status", "created_at")  # "open" sorts after "in_progress": reversed, open ones come first
    )


def concerns_open_and_recent(
    user, *, now: dt.datetime | None = None
) -> tuple[QuerySet[WelfareConcern], QuerySet[WelfareConcern]]:
    """The user's concerns still to resolve (open or in progress), and those resolved in the last days."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    concerns = concerns_for(user).order_by("-created_at")
    return (
        concerns.exclude(status=WelfareConcern.Status.RESOLVED),
        concerns.filter(status=WelfareConcern.Status.RESOLVED, resolved_at__gte=since),
    )
