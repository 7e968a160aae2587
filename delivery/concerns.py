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
# Acknowledged concerns stay on the page this long, so a colleague can see who took one up.
RECENT_DAYS = 14


@transaction.atomic
def concern_raise(*, actor, stop: Stop, text: str) -> WelfareConcern:
    """Keep what the driver wrote about the stop's household and e-mail that zone's social workers."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write what you saw; nothing was sent."))
    if len(text) > CONCERN_MAX_CHARS:
        raise ValidationError(
            _("Keep the concern under %(limit)s characters (it has %(count)s); nothing was sent.")
            % {"limit": CONCERN_MAX_CHARS, "count": len(text)}
        )
    if stop.round.driver_id != actor.pk:
        raise ValidationError(_("Only the round's driver can raise a concern from this stop."))
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


@transaction.atomic
def concern_acknowledge(*, actor, concern: WelfareConcern) -> WelfareConcern:
    """A social worker has taken the concern up; the first to do so is recorded."""
    concern = WelfareConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.acknowledged_at is not None:
        raise ValidationError(
            _("This concern was already taken up by %(who)s; nothing was changed.")
            % {"who": concern.acknowledged_by.get_full_name() or concern.acknowledged_by.username}
        )
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = actor
    concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return concern


def concerns_for(user) -> QuerySet[WelfareConcern]:
    """Concerns about households in the user's zones (every zone for managers)."""
    concerns = WelfareConcern.objects.select_related(
        "household", "raised_by", "acknowledged_by", "stop__round", "stop__order__plan__request"
    )
    return in_zones(concerns, user, "household__zone")


def concerns_open_and_recent(
    user, *, now: dt.datetime | None = None
) -> tuple[QuerySet[WelfareConcern], QuerySet[WelfareConcern]]:
    """The user's open concerns, and those taken up in the last days; newest first."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    concerns = concerns_for(user).order_by("-created_at")
    return concerns.filter(acknowledged_at__isnull=True), concerns.filter(acknowledged_at__gte=since)
