"""The manager's figures for a period and, optionally, a zone, and the tables the page and its export show.

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

Each figure is one aggregate query (the forecast a handful), so the page costs the same for a week or a year.
"""

import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from config.sheets import csv_text, xlsx_rows_append, xlsx_sheet_name
from inventory.forecast import ItemForecast, forecast
from inventory.models import Pack
from logistics.models import DeliveryOrder, SatisfactionSurvey
from logistics.surveys import SCORE_LABELS, SCORES
from requests_intake.models import AidRequest, Channel, Household, Zone
from routing.models import Round, Stop

MAX_PERIOD_DAYS = 366
DEFAULT_WEEKS = 4
DECISIONS = (AidRequest.Status.APPROVED, AidRequest.Status.REJECTED, AidRequest.Status.REFERRED)
VISITED = (Stop.Outcome.DELIVERED, Stop.Outcome.FAILED)
COLLECTED = Q(mode=DeliveryOrder.Mode.PICKUP, status=DeliveryOrder.Status.DELIVERED, collected_at__isnull=False)
LATEST_COMMENTS = 20


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


def _short(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def default_period(today: dt.date) -> Period:
    """The last four ISO weeks: this week so far and the three before it."""
    monday = today - dt.timedelta(days=today.weekday())
    return Period(first=monday - dt.timedelta(weeks=DEFAULT_WEEKS - 1), last=today)


def period_check(*, first: dt.date, last: dt.date) -> Period:
    """The period from `first` to `last`, or a ValidationError saying what to change."""
    if last < first:
        raise ValidationError(
            _("The period ends on %(last)s, before it starts on %(first)s: choose an end on or after the start.")
            % {"first": _short(first), "last": _short(last)},
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


def _hours(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 3600, 1)


def _days(span: dt.timedelta | None) -> float | None:
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
        return _share(self.failed, self.delivered + self.failed)


def _share(part: int, whole: int) -> float | None:
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
        return _share(self.answered, self.sent)

    @property
    def average_score(self) -> float | None:
        total = sum(score * count for score, count in zip(SCORES, self.scores, strict=True))
        return round(total / self.answered, 1) if self.answered else None

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, self.on_time_answers)


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
        return _share(self.failed, self.delivered_at_door + self.failed)

    @property
    def km(self) -> float:
        return round(self.metres / 1000, 1)

    @property
    def km_per_delivery(self) -> float | None:
        return round(self.metres / 1000 / self.km_deliveries, 2) if self.km_deliveries else None

    @property
    def packs_delivered(self) -> int:
        return sum(quantity for _pack, quantity in self.packs)


def manager_figures(*, period: Period, zone: Zone | None = None, today: dt.date | None = None) -> ManagerFigures:
    """Every figure of the manager's page for the period (and zone), read with a bounded number of queries."""
    today = today or timezone.localdate()
    start, end = period.bounds()
    by_request_zone = {"zone": zone} if zone else {}
    by_order_zone = {"order__plan__request__zone": zone} if zone else {}
    by_plan_zone = {"plan__request__zone": zone} if zone else {}

    per_day: dict[dt.date, int] = defaultdict(int)
    per_channel: dict[str, int] = defaultdict(int)
    per_zone: dict[tuple[int, str] | None, int] = defaultdict(int)
    received = AidRequest.objects.filter(received_at__gte=start, received_at__lt=end, **by_request_zone)
    for day, channel, zone_id, zone_name, count in (
        received.order_by()
        .annotate(day=TruncDate("received_at"))
        .values_list("day", "channel", "zone_id", "zone__name")
        .annotate(count=Count("pk"))
    ):
        per_day[day] += count
        per_channel[channel] += count
        per_zone[(zone_id, zone_name) if zone_id else None] += count

    decided = AidRequest.objects.filter(
        decided_at__gte=start, decided_at__lt=end, status__in=DECISIONS, **by_request_zone
    ).values_list("received_at", "decided_at")
    # A request's first hand-over may be at the door or at the depot: each query leaves out the requests the other
    # kind served before the period, and the earlier of the two is kept for a request both served in it.
    first_at_door = (
        Stop.objects.filter(outcome=Stop.Outcome.DELIVERED, recorded_at__isnull=False, **by_order_zone)
        .filter(
            ~Exists(
                DeliveryOrder.objects.filter(
                    COLLECTED, plan__request_id=OuterRef("order__plan__request_id"), collected_at__lt=start
                )
            )
        )
        .order_by()
        .values("order__plan__request_id", "order__plan__request__received_at")
        .annotate(first_day=Min("round__date"), first_at=Min("recorded_at"))
        .filter(first_day__gte=period.first, first_day__lte=period.last)
        .values_list("order__plan__request_id", "order__plan__request__received_at", "first_at")
    )
    first_at_depot = (
        DeliveryOrder.objects.filter(COLLECTED, **by_plan_zone)
        .filter(
            ~Exists(
                Stop.objects.filter(
                    order__plan__request_id=OuterRef("plan__request_id"),
                    outcome=Stop.Outcome.DELIVERED,
                    round__date__lt=period.first,
                )
            )
        )
        .order_by()
        .values("plan__request_id", "plan__request__received_at")
        .annotate(first_at=Min("collected_at"))
        .filter(first_at__gte=start, first_at__lt=end)
        .values_list("plan__request_id", "plan__request__received_at", "first_at")
    )
    first_deliveries: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for request_id, received_at, first_at in [*first_at_door, *first_at_depot]:
        if request_id not in first_deliveries or first_at < first_deliveries[request_id][1]:
            first_deliveries[request_id] = (received_at, first_at)

    visits: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reasons: dict[str, int] = defaultdict(int)
    stops = Stop.objects.filter(
        round__date__gte=period.first, round__date__lte=period.last, outcome__in=VISITED, **by_order_zone
    )
    for day, outcome, reason, count in (
        stops.order_by().values_list("round__date", "outcome", "failure_reason").annotate(count=Count("pk"))
    ):
        visits[day][outcome] += count
        if outcome == Stop.Outcome.FAILED:
            reasons[reason] += count
    delivered = stops.filter(outcome=Stop.Outcome.DELIVERED)
    collected = DeliveryOrder.objects.filter(COLLECTED, collected_at__gte=start, collected_at__lt=end, **by_plan_zone)
    collected_per_day = dict(
        collected.order_by().annotate(day=TruncDate("collected_at")).values_list("day").annotate(count=Count("pk"))
    )

    driven = Round.objects.filter(
        Exists(Stop.objects.filter(round=OuterRef("pk"), outcome__in=VISITED)),
        date__gte=period.first,
        date__lte=period.last,
    ).aggregate(metres=Sum("distance_m"), rounds=Count("pk"))
    served = Household.objects.filter(
        Q(pk__in=delivered.values("order__household_id")) | Q(pk__in=collected.values("household_id"))
    ).aggregate(households=Count("pk"), people=Sum("members"))
    packs = Pack.objects.filter(
        Q(deliveryorderline__order__in=delivered.values("order_id"))
        | Q(deliveryorderline__order__in=collected.values("pk"))
    ).annotate(delivered=Sum("deliveryorderline__quantity"))
    visit_days = tuple(
        DayVisits(
            day, visits[day][Stop.Outcome.DELIVERED], visits[day][Stop.Outcome.FAILED], collected_per_day.get(day, 0)
        )
        for day in period.days
    )
    if zone is None:
        km_deliveries = sum(day.delivered for day in visit_days)
    else:
        km_deliveries = Stop.objects.filter(
            round__date__gte=period.first, round__date__lte=period.last, outcome=Stop.Outcome.DELIVERED
        ).count()
    return ManagerFigures(
        period=period,
        zone=zone,
        requests=sum(per_day.values()),
        by_channel=_ranked({str(label): per_channel[code] for code, label in Channel.choices}),
        by_zone=_ranked_zones(per_zone),
        by_week=_weeks(period, per_day),
        to_decision=Durations.of([decided_at - received_at for received_at, decided_at in decided]),
        to_delivery=Durations.of([first_at - received_at for received_at, first_at in first_deliveries.values()]),
        visits=visit_days,
        failure_reasons=_ranked({str(label): reasons[code] for code, label in Stop.FailureReason.choices}),
        rounds=driven["rounds"],
        metres=driven["metres"] or 0,
        km_deliveries=km_deliveries,
        households=served["households"],
        people=served["people"] or 0,
        packs=tuple(sorted(((pack, pack.delivered) for pack in packs), key=lambda p: (-p[1], p[0].label))),
        cover=_cover(today),
        satisfaction=_satisfaction(
            SatisfactionSurvey.objects.filter(sent_at__gte=start, sent_at__lt=end, **by_order_zone)
        ),
    )


def _satisfaction(surveys) -> Satisfaction:
    """Every count from one grouped query, and the latest comments from a second."""
    sent, scores, on_time, on_time_answers = 0, dict.fromkeys(SCORES, 0), 0, 0
    for score, arrived, count in surveys.order_by().values_list("score", "on_time").annotate(count=Count("pk")):
        sent += count
        if score is None:  # not answered (yet)
            continue
        scores[score] += count
        if arrived is not None:
            on_time_answers += count
            on_time += count if arrived else 0
    comments = (
        surveys.filter(answered_at__isnull=False)
        .exclude(comment="")
        .order_by("-answered_at", "-pk")
        .values_list("answered_at", "score", "on_time", "comment")[:LATEST_COMMENTS]
    )
    return Satisfaction(
        sent=sent,
        answered=sum(scores.values()),
        scores=tuple(scores.values()),
        on_time=on_time,
        on_time_answers=on_time_answers,
        comments=tuple(
            SurveyComment(timezone.localdate(answered_at), score, arrived, text)
            for answered_at, score, arrived, text in comments
        ),
    )


def _ranked(counts: dict[str, int]) -> tuple[Counted, ...]:
    return tuple(Counted(label, count) for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _ranked_zones(counts: dict[tuple[int, str] | None, int]) -> tuple[Counted, ...]:
    # Keyed by zone id, so two zones that happen to share a name are not added together.
    rows = [Counted(key[1] if key else _("No zone"), count) for key, count in counts.items()]
    return tuple(sorted(rows, key=lambda row: (-row.count, row.label)))


def _weeks(period: Period, per_day: dict[dt.date, int]) -> tuple[WeekCount, ...]:
    weeks = []
    for monday in period.mondays:
        first = max(monday, period.first)
        last = min(monday + dt.timedelta(days=6), period.last)
        count = sum(per_day.get(first + dt.timedelta(days=i), 0) for i in range((last - first).days + 1))
        weeks.append(WeekCount(monday=monday, first=first, last=last, count=count))
    return tuple(weeks)


def _cover(today: dt.date) -> tuple[ItemForecast, ...]:
    rows = forecast(today=today).rows
    return tuple(
        sorted(
            rows,
            key=lambda row: (row.days_of_cover is None, row.days_of_cover or 0, row.item.sku, row.warehouse.name),
        )
    )


# Tables: the page shows them and the export writes them, so the file holds exactly what the page shows.


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]  # str, int, float, date or None (no value) in each cell
    note: str = ""

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """(text, numeric) for each cell, as the page prints it in the reader's language."""
        return [
            [(_display(cell), column.numeric) for cell, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


def _display(cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, dt.date):
        return _short(cell)
    if isinstance(cell, float):
        return formats.number_format(cell, use_l10n=True)
    return str(cell)


def figures_tables(figures: ManagerFigures) -> list[Table]:
    """Every table of the manager's page, in the page's order."""
    count_column = Column(_("Requests"), numeric=True)
    share_column = Column(_("Share (%)"), numeric=True)
    return [
        Table(
            "summary",
            _("Summary"),
            (Column(_("Figure")), Column(_("Value"), numeric=True)),
            (
                (_("First day"), figures.period.first),
                (_("Last day"), figures.period.last),
                (_("Zone"), figures.zone.name if figures.zone else _("All zones")),
                (_("Requests received"), figures.requests),
                (_("Deliveries"), figures.delivered),
                (_("Delivered at the door"), figures.delivered_at_door),
                (_("Collected at the depot"), figures.collected),
                (_("Failed visits"), figures.failed),
                (_("Failure rate (%)"), figures.failure_rate),
                (_("Rounds driven (all zones)"), figures.rounds),
                (_("Km driven (all zones)"), figures.km),
                (_("Km per delivery (all zones)"), figures.km_per_delivery),
                (_("Households served (unduplicated)"), figures.households),
                (_("People in the households served"), figures.people),
                (_("Packs delivered"), figures.packs_delivered),
            ),
        ),
        Table(
            "by_week",
            _("Requests by week"),
            (Column(_("ISO week")), Column(_("From")), Column(_("To")), count_column),
            tuple((week.iso_week, week.first, week.last, week.count) for week in figures.by_week),
            _("The first and last weeks count only the days inside the period."),
        ),
        Table(
            "by_channel",
            _("Requests by channel"),
            (Column(_("Channel")), count_column, share_column),
            tuple((row.label, row.count, _share(row.count, figures.requests)) for row in figures.by_channel),
        ),
        Table(
            "by_zone",
            _("Requests by zone"),
            (Column(_("Zone")), count_column, share_column),
            tuple((row.label, row.count, _share(row.count, figures.requests)) for row in figures.by_zone),
        ),
        Table(
            "times",
            _("Time to decision and delivery"),
            (
                Column(_("Measure")),
                count_column,
                Column(_("Median (hours)"), numeric=True),
                Column(_("90th percentile (hours)"), numeric=True),
                Column(_("Median (days)"), numeric=True),
                Column(_("90th percentile (days)"), numeric=True),
            ),
            tuple(
                (label, durations.count, _hours(durations.median), _hours(durations.p90))
                + (_days(durations.median), _days(durations.p90))
                for label, durations in (
                    (_("Received → decided"), figures.to_decision),
                    (_("Received → first delivery"), figures.to_delivery),
                )
            ),
            _(
                "Decisions made in the period (approved, rejected or referred); first deliveries made in the period. "
                "Nine requests in ten took at most the 90th percentile."
            ),
        ),
        Table(
            "per_day",
            _("Deliveries per day"),
            (
                Column(_("Day")),
                Column(_("Delivered"), numeric=True),
                Column(_("Not delivered"), numeric=True),
                Column(_("Failure rate (%)"), numeric=True),
                Column(_("Collected at the depot"), numeric=True),
            ),
            tuple(
                (day.day, day.delivered, day.failed, day.failure_rate, day.collected)
                for day in figures.visits
                if day.delivered or day.failed or day.collected
            ),
            _("Days without any recorded visit or collection are left out. The failure rate is of visits at the door."),
        ),
        Table(
            "failure_reasons",
            _("Why deliveries failed"),
            (Column(_("Reason")), Column(_("Visits"), numeric=True), share_column),
            tuple((row.label, row.count, _share(row.count, figures.failed)) for row in figures.failure_reasons),
        ),
        Table(
            "packs",
            _("Packs delivered"),
            (Column(_("Code")), Column(_("Pack")), Column(_("Quantity"), numeric=True)),
            tuple((pack.code, pack.label, quantity) for pack, quantity in figures.packs),
        ),
        *_satisfaction_tables(figures.satisfaction),
        Table(
            "cover",
            _("Stock cover"),
            (
                Column(_("SKU")),
                Column(_("Item")),
                Column(_("Warehouse")),
                Column(_("On hand"), numeric=True),
                Column(_("Days of cover"), numeric=True),
                Column(_("Runs out on")),
            ),
            tuple(
                (row.item.sku, row.item.label, row.warehouse.name, row.on_hand, row.days_of_cover, row.runs_out_on)
                for row in figures.cover
            ),
            _("From today, whatever the period: on hand over the average daily demand forecast. No demand: no figure."),
        ),
    ]


def _satisfaction_tables(satisfaction: Satisfaction) -> list[Table]:
    answers_column = Column(_("Answers"), numeric=True)
    return [
        Table(
            "satisfaction",
            _("Satisfaction"),
            (Column(_("Figure")), Column(_("Value"), numeric=True)),
            (
                (_("Surveys sent"), satisfaction.sent),
                (_("Surveys answered"), satisfaction.answered),
                (_("Response rate (%)"), satisfaction.response_rate),
                (_("Average score (1 to 5)"), satisfaction.average_score),
                (_("Arrived in the time we gave (%)"), satisfaction.on_time_share),
            ),
            _("Surveys sent in the period and their answers so far. On time: answers after a delivery at the door."),
        ),
        Table(
            "scores",
            _("Satisfaction scores"),
            (Column(_("Score")), answers_column, Column(_("Share (%)"), numeric=True)),
            tuple(
                (f"{score} · {SCORE_LABELS[score]}", count, _share(count, satisfaction.answered))
                for score, count in zip(SCORES, satisfaction.scores, strict=True)
            )
            if satisfaction.answered
            else (),
        ),
        Table(
            "comments",
            _("Latest comments"),
            (Column(_("Answered on")), Column(_("Score"), numeric=True), Column(_("On time")), Column(_("Comment"))),
            tuple(
                (comment.answered_on, comment.score, _yes_no(comment.on_time), comment.text)
                for comment in satisfaction.comments
            ),
            _("The latest %(count)s comments, as the requesters wrote them.") % {"count": LATEST_COMMENTS},
        ),
    ]


def _yes_no(answer: bool | None) -> str | None:
    return None if answer is None else _("Yes") if answer else _("No")


def tables_csv(tables: Sequence[Table]) -> bytes:
    """One section per table (title, header, rows, a blank line), `;`-separated, with a byte-order mark and
    decimal commas in Spanish, so Spanish Excel opens it as it is. Comments come from the public survey page:
    `csv_text` keeps any that a spreadsheet would run as a formula as text."""
    rows: list[list] = []
    for table in tables:
        rows += [[table.title], [column.label for column in table.columns]]
        rows += [[_csv_cell(cell) for cell in row] for row in table.rows]
        rows.append([])
    return csv_text(rows, delimiter=";").encode("utf-8-sig")


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return formats.number_format(cell, use_l10n=True)
    return str(cell)


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table, header in bold, numbers and dates as Excel's own, text always as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(xlsx_sheet_name(table.title, used))
        xlsx_rows_append(sheet, [[column.label for column in table.columns]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        xlsx_rows_append(sheet, table.rows)
        for index, column in enumerate(table.columns):
            width = max([len(column.label), *(len(_csv_cell(row[index])) for row in table.rows)])
            sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
