"""Where the vans are while their rounds are under way, from their drivers' phones, with the driver's consent.

A driver agrees once per round ("Share my position during this round", off until they say so); the phone then
sends a fix now and then, and only while the round is under way: left the depot and a stop still to visit. The
board shows the latest fix per van; a short trail is kept and the rest deleted as new fixes come; what is left
goes the night after the round's day (`van_positions_prune`, from beat), or at once when the driver withdraws."""

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from delivery.models import Round, Stop, VanPosition
from logistics.models import DeliveryOrder

# The board needs the latest fix; a few more draw where the van came from. Older ones are deleted as new ones come.
POSITION_TRAIL = 10
# The phone sends at most one fix a minute (or every 200 m); closer than this is a phone sending too often.
POSITION_MIN_INTERVAL = dt.timedelta(seconds=15)
# A phone's clock runs a little off; a fix further ahead than this is a wrong clock.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
# A fix older than this when it arrives says nothing about where the van is now.
OLDEST_FIX = dt.timedelta(hours=1)
# A phone that cannot tell within 10 km is not locating the van.
WORST_ACCURACY_M = 10_000


def rounds_under_way(today: dt.date) -> QuerySet[Round]:
    """Rounds whose van has left the depot (their orders out for delivery) with a stop still to visit, on published
    plans of today or later: the only rounds a phone may share its position on."""
    to_visit = Stop.objects.filter(
        round=OuterRef("pk"),
        outcome=Stop.Outcome.PENDING,
        order__status=DeliveryOrder.Status.OUT_FOR_DELIVERY,
    )
    return Round.objects.filter(date__gte=today, run__published_at__isnull=False).filter(Exists(to_visit))


def round_is_under_way(round_: Round) -> bool:
    return rounds_under_way(timezone.localdate()).filter(pk=round_.pk).exists()


def _refuse_other_driver(actor, round_: Round) -> None:
    if round_.driver_id != actor.pk:
        raise ValidationError(_("Only the round's driver can share the van's position."), code="not_the_driver")


@transaction.atomic
def round_position_share(*, actor, round_: Round, share: bool) -> Round:
    """The driver agrees to share the van's position during this round, or withdraws: then the phone stops and
    the positions already sent are deleted."""
    if not isinstance(share, bool):
        raise ValidationError(_("Say whether to share the position or not."), code="share_not_boolean")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _refuse_other_driver(actor, round_)
    if share and round_.date < timezone.localdate():
        raise ValidationError(_("This round's day is over: there is no position to share."), code="round_day_over")
    if share and round_.position_shared_at is None:
        round_.position_shared_at = timezone.now()
        round_.save(update_fields=["position_shared_at"])
    elif not share:
        round_.position_shared_at = None
        round_.save(update_fields=["position_shared_at"])
        VanPosition.objects.filter(round=round_).delete()
    return round_


def _coordinate(value, *, name: str, limit: int, code: str) -> Decimal:
    # A bool is an int to Python, and a string of digits is not what a phone's geolocation gives.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(_("The %(name)s must be a number; nothing was stored.") % {"name": name}, code=code)
    if not -limit <= value <= limit:
        raise ValidationError(
            _("The %(name)s %(value)s is off the globe (from -%(limit)s to %(limit)s); nothing was stored.")
            % {"name": name, "value": value, "limit": limit},
            code=code,
        )
    return Decimal(str(round(value, 6)))


def _accuracy(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValidationError(
            _("The accuracy must be a number of metres; nothing was stored."), code="accuracy_invalid"
        )
    if value > WORST_ACCURACY_M:
        raise ValidationError(
            _("A position %(metres)s m wide says nothing of where the van is; nothing was stored.")
            % {"metres": round(value)},
            code="accuracy_too_poor",
        )
    return round(value)


def _recorded_at(value, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or timezone.is_naive(moment):
        raise ValidationError(
            _("The time of the position must be a date and time with its offset; nothing was stored."),
            code="recorded_at_invalid",
        )
    if not now - OLDEST_FIX <= moment <= now + CLOCK_TOLERANCE:
        raise ValidationError(
            _("The position's time %(time)s is too far from now: check the phone's clock; nothing was stored.")
            % {"time": value},
            code="recorded_at_invalid",
        )
    return moment


@transaction.atomic
def van_position_record(*, actor, round_: Round, latitude, longitude, accuracy=None, recorded_at=None) -> VanPosition:
    """Keep one fix from the round's driver, while the round is under way and the driver agreed to share it.

    Values come as the phone sent them (JSON numbers, an ISO time); each is checked and a wrong one named."""
    now = timezone.now()
    point = (
        _coordinate(latitude, name=_("latitude"), limit=90, code="latitude_invalid"),
        _coordinate(longitude, name=_("longitude"), limit=180, code="longitude_invalid"),
    )
    accuracy_m = _accuracy(accuracy)
    moment = _recorded_at(recorded_at, now)
    # The round's row orders two fixes sent at once, so the interval below is checked against the other.
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _refuse_other_driver(actor, round_)
    if round_.position_shared_at is None:
        raise ValidationError(
            _("The driver has not agreed to share the position on this round; nothing was stored."),
            code="position_not_shared",
        )
    if not round_is_under_way(round_):
        raise ValidationError(
            _("This round is not under way (not started, or every stop is done); nothing was stored."),
            code="round_not_under_way",
        )
    last = VanPosition.objects.filter(round=round_).order_by("-recorded_at").first()
    if last is not None and moment < last.recorded_at + POSITION_MIN_INTERVAL:
        raise ValidationError(
            _("A position came less than %(seconds)s seconds ago; this one was not stored.")
            % {"seconds": int(POSITION_MIN_INTERVAL.total_seconds())},
            code="position_too_soon",
        )
    position = VanPosition.objects.create(
        round=round_, recorded_at=moment, latitude=point[0], longitude=point[1], accuracy_m=accuracy_m
    )
    trail = VanPosition.objects.filter(round=round_)
    kept = list(trail.order_by("-recorded_at", "-pk").values_list("pk", flat=True)[:POSITION_TRAIL])
    trail.exclude(pk__in=kept).delete()
    return position


def van_positions_prune(*, today: dt.date) -> int:
    """Delete the positions of rounds whose day ended more than VAN_POSITIONS_KEEP_DAYS ago; returns how many."""
    before = today - dt.timedelta(days=settings.VAN_POSITIONS_KEEP_DAYS)
    deleted, _by_model = VanPosition.objects.filter(round__date__lt=before).delete()
    return deleted


def latest_positions(round_ids: list[int]) -> dict[int, VanPosition]:
    """The latest fix of each of these rounds that has one, by round id, in one query."""
    newest = VanPosition.objects.filter(round=OuterRef("round")).order_by("-recorded_at", "-pk").values("pk")[:1]
    rows = VanPosition.objects.filter(round__in=round_ids, pk=Subquery(newest))
    return {position.round_id: position for position in rows}
