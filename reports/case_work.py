"""Case-work figures for the manager: interventions recorded, by month and by kind (registro de intervenciones)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from reports.metrics import Period
from requests_intake.models import Intervention, Zone


@dataclass(frozen=True)
class MonthInterventions:
    month: dt.date  # the first day of the month
    counts: tuple[int, ...]  # in the order of Intervention.Kind

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class InterventionFigures:
    kinds: tuple[str, ...]  # the labels, in the order of each month's counts
    months: tuple[MonthInterventions, ...]  # every month the period touches, months without notes too

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(month.counts[i] for month in self.months) for i in range(len(self.kinds)))

    @property
    def total(self) -> int:
        return sum(self.totals)


def _months(period: Period) -> list[dt.date]:
    month, last = period.first.replace(day=1), period.last.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def intervention_figures(*, period: Period, zone: Zone | None = None) -> InterventionFigures:
    """Interventions dated in the period (in the household's zone, when one is given), counted per month and kind in
    one query. A note counts on the day it happened, not the day it was typed."""
    notes = Intervention.objects.filter(date__gte=period.first, date__lte=period.last)
    if zone is not None:
        notes = notes.filter(household__zone=zone)
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for month, kind, count in (
        notes.order_by().annotate(month=TruncMonth("date")).values_list("month", "kind").annotate(count=Count("pk"))
    ):
        counts[(month, kind)] += count
    kinds = Intervention.Kind.values
    return InterventionFigures(
        kinds=tuple(str(label) for label in Intervention.Kind.labels),
        months=tuple(
            MonthInterventions(month, tuple(counts[(month, kind)] for kind in kinds)) for month in _months(period)
        ),
    )
