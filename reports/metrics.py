"""What each of the manager's figures means, written down for the council, and the values that hold them.

Rules, so the council's report can be checked by hand:
- The period is whole local days, first and last included, at most 366 days.
- Requests count on the day they were received. The zone is always the request's (copied from the household's
  when it was registered), so every figure for a zone is about the same requests.
- Time to decision: requests decided in the period (approved, rejected or referred; an answer at intake is not a
  decision), from `received_at` to `decided_at`.
- Time to delivery: requests whose first delivery falls in the period, from `received_at` to that stop's
  `recorded_at`, or to `collected_at` when the first hand-over was at the depot. Later deliveries of a recurring
  plan follow the plan's calendar, so they are not delays.
- Deliveries, failures and their reasons: stops recorded delivered or not delivered on rounds dated in the period.
  Orders collected at the depot count as delivered on the day they were collected; nobody drives them, so they are
  not in the failure rate (a visit that failed) nor in the km per delivery.
- Km per delivery: the distance of the period's rounds that recorded at least one visit (a plan nobody has driven
  yet is left out) over the deliveries at the door in the period. A round crosses zones, so this figure is for all
  zones.
- Households served: distinct households with at least one delivery or collection in the period. Merging
  duplicates moves their orders to the record kept, so a merged household is not counted twice. People: their
  members today.
- Packs delivered: the lines of the orders delivered or collected in the period.
- Satisfaction: the surveys sent in the period and the answers to them so far, however late they came. The share
  on time is over the answers to that question (asked only after a delivery at the door).
- Median and 90th percentile interpolate between the nearest values, as Excel's PERCENTILE.INC does.
- Stock cover is the forecast's, from today for its usual horizon, whatever the period; stock is not split by zone.

The queries that count them are in `reports.selectors`; the tables the page shows and the files export, in
`reports.tables` and `reports.exports`.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Stop
from delivery.surveys import SCORES
from inventory.forecast import ItemForecast
from inventory.models import Pack
from logistics.models import DeliveryOrder
from requests_intake.models import AidRequest, Zone

MAX_PERIOD_DAYS = 366
DEFAULT_WEEKS = 4
LATEST_COMMENTS = 20

# A decision is an answer given after assessment; an answer at intake is not one.
DECISIONS = (AidRequest.Status.APPROVED, AidRequest.Status.REJECTED, AidRequest.Status.REFERRED)
# A visit is a stop the driver recorded at the door, delivered or not; a stop never reached is no visit.
VISITED = (Stop.Outcome.DELIVERED, Stop.Outcome.FAILED)
# Collected: an order handed over at the depot; it counts as delivered on the day it was collected.
COLLECTED = Q(mode=DeliveryOrder.Mode.PICKUP, status=DeliveryOrder.Status.DELIVERED, collected_at__isnull=False)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def mondays(self) -> list[dt.date]:
        """The Monday of every ISO week the period touches."""
        monday = self.first - dt.timedelta(days=self.first.weekday())
        return [monday + dt.timedelta(weeks=i) for i in range((self.last - monday).days // 7 + 1)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From local midnight of the first day to local midnight after the last."""
        return _midnight(self.first), _midnight(self.last + dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def short_date(day: dt.date) -> str:
    return day_text(day)


def default_period(today: dt.date) -> Period:
    """The last four ISO weeks: this week so far and the three before it."""
    monday = today - dt.timedelta(days=today.weekday())
    return Period(first=monday - dt.timedelta(weeks=DEFAULT_WEEKS - 1), last=today)


def period_check(*, first: dt.date, last: dt.date) -> Period:
    """The period from `first` to `last`, or a ValidationError saying what to change."""
    if last < first:
        raise ValidationError(
            _("The period ends on %(last)s, before it starts on %(first)s: choose an end on or after the start.")
            % {"first": short_date(first), "last": short_date(last)},
            code="period_reversed",
        )
    days = (last - first).days + 1
    if days > MAX_PERIOD_DAYS:
        raise ValidationError(
            _("The period runs %(days)s days; choose at most %(max)s days.") % {"days": days, "max": MAX_PERIOD_DAYS},
            code="period_too_long",
        )
    return Period(first=first, last=last)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile (0 to 1), interpolating between the nearest values; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Durations:
    count: int
    median: dt.timedelta | None
    p90: dt.timedelta | None

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def p90_text(self) -> str:
        return duration_text(self.p90)

    @classmethod
    def of(cls, spans: Sequence[dt.timedelta]) -> "Durations":
        seconds = [span.total_seconds() for span in spans]
        median, p90 = percentile(seconds, 0.5), percentile(seconds, 0.9)
        return cls(
            count=len(spans),
            median=None if median is None else dt.timedelta(seconds=median),
            p90=None if p90 is None else dt.timedelta(seconds=p90),
        )


def duration_text(span: dt.timedelta | None) -> str:
    """“2 d 5 h” or “3 h 20 min”, as a person reads a delay."""
    if span is None:
        return "—"
    minutes = round(span.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def span_hours(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 3600, 1)


def span_days(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 86400, 2)


@dataclass(frozen=True)
class Counted:
    label: str
    count: int


@dataclass(frozen=True)
class WeekCount:
    monday: dt.date
    first: dt.date  # the week's first day inside the period
    last: dt.date
    count: int

    @property
    def iso_week(self) -> str:
        year, week, _weekday = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class DayVisits:
    day: dt.date
    delivered: int  # at the door
    failed: int
    collected: int = 0  # at the depot

    @property
    def failure_rate(self) -> float | None:
        return share(self.failed, self.delivered + self.failed)


def share(part: int, whole: int) -> float | None:
    """Part of the whole in per cent, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class SurveyComment:
    answered_on: dt.date
    score: int
    on_time: bool | None
    text: str


@dataclass(frozen=True)
class Satisfaction:
    sent: int
    answered: int
    scores: tuple[int, ...]  # how many answers gave each score, 1 to 5
    on_time: int
    on_time_answers: int
    comments: tuple[SurveyComment, ...]  # latest first

    @property
    def response_rate(self) -> float | None:
        return share(self.answered, self.sent)

    @property
    def average_score(self) -> float | None:
        total = sum(score * count for score, count in zip(SCORES, self.scores, strict=True))
        return round(total / self.answered, 1) if self.answered else None

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.on_time_answers)


@dataclass(frozen=True)
class ManagerFigures:
    period: Period
    zone: Zone | None
    requests: int
    by_channel: tuple[Counted, ...]
    by_zone: tuple[Counted, ...]
    by_week: tuple[WeekCount, ...]
    to_decision: Durations
    to_delivery: Durations
    visits: tuple[DayVisits, ...]  # every day of the period, days without visits too
    failure_reasons: tuple[Counted, ...]
    rounds: int
    metres: int
    km_deliveries: int  # deliveries in the period in every zone, since a round crosses zones
    households: int
    people: int
    packs: tuple[tuple[Pack, int], ...]
    cover: tuple[ItemForecast, ...]  # lowest days of cover first; items without demand last
    satisfaction: Satisfaction

    @property
    def delivered_at_door(self) -> int:
        return sum(day.delivered for day in self.visits)

    @property
    def collected(self) -> int:
        return sum(day.collected for day in self.visits)

    @property
    def delivered(self) -> int:
        """Every hand-over: at the door and at the depot."""
        return self.delivered_at_door + self.collected

    @property
    def failed(self) -> int:
        return sum(day.failed for day in self.visits)

    @property
    def failure_rate(self) -> float | None:
        return share(self.failed, self.delivered_at_door + self.failed)

    @property
    def km(self) -> float:
        return round(self.metres / 1000, 1)

    @property
    def km_per_delivery(self) -> float | None:
        return round(self.metres / 1000 / self.km_deliveries, 2) if self.km_deliveries else None

    @property
    def packs_delivered(self) -> int:
        return sum(quantity for _pack, quantity in self.packs)
