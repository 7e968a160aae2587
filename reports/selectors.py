"""The queries behind the manager's figures: each figure is one aggregate query (the forecast a handful), so the
page costs the same for a week or a year. What each figure means is written in `reports.metrics`."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Round, SatisfactionSurvey, Stop
from delivery.surveys import SCORES
from inventory.forecast import ItemForecast, forecast
from inventory.models import Pack
from logistics.models import DeliveryOrder
from reports.metrics import (
    COLLECTED,
    DECISIONS,
    LATEST_COMMENTS,
    VISITED,
    Counted,
    DayVisits,
    Durations,
    ManagerFigures,
    Period,
    Satisfaction,
    SurveyComment,
    WeekCount,
)
from requests_intake.models import AidRequest, Channel, Household, Zone


def deliveries_made(period: Period) -> tuple[int, int]:
    """Deliveries made and failed visits in `period`, counted as the figures page counts them: stops recorded on
    the period's rounds, plus orders collected at the depot in it (as deliveries)."""
    start, end = period.bounds()
    stops = Stop.objects.deliveries().filter(round__date__gte=period.first, round__date__lte=period.last)
    delivered = stops.filter(outcome=Stop.Outcome.DELIVERED).count()
    collected = DeliveryOrder.objects.filter(COLLECTED, collected_at__gte=start, collected_at__lt=end).count()
    return delivered + collected, stops.filter(outcome=Stop.Outcome.FAILED).count()


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
        Stop.objects.deliveries()
        .filter(outcome=Stop.Outcome.DELIVERED, recorded_at__isnull=False, **by_order_zone)
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
                Stop.objects.deliveries().filter(
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
    stops = Stop.objects.deliveries().filter(
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
        km_deliveries = (
            Stop.objects.deliveries()
            .filter(round__date__gte=period.first, round__date__lte=period.last, outcome=Stop.Outcome.DELIVERED)
            .count()
        )
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
