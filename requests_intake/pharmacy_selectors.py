"""Reads for the pharmacies page: each pharmacy with its week of opening hours and the plans that still send the
vans there."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from requests_intake.models import Pharmacy, PharmacyHours, Weekday


def plan_still_delivering(today: dt.date, prefix: str = "") -> Q:
    """A plan that will still deliver: not paused, not past its eligibility or its end, and either
    recurring or with its first delivery still to come (requests_intake.selectors.household_active_plans, as a
    query)."""
    p = prefix
    return (
        Q(**{f"{p}paused_at__isnull": True})
        & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": today}))
        & (
            Q(**{f"{p}first_delivery_on__gte": today})
            | (
                Q(**{f"{p}repeat_every_days__isnull": False})
                & (Q(**{f"{p}repeat_until__isnull": True}) | Q(**{f"{p}repeat_until__gte": today}))
            )
        )
    )


def pharmacies_with_plans(*, today: dt.date) -> QuerySet[Pharmacy]:
    """Every pharmacy (active first, then by name) with its hours and `active_plans`: the medication plans still
    delivering that name it."""
    return (
        Pharmacy.objects.annotate(active_plans=Count("plans", filter=plan_still_delivering(today, "plans__")))
        .prefetch_related(Prefetch("hours", queryset=PharmacyHours.objects.order_by("weekday", "opens")))
        .order_by("-active", "name")
    )


def pharmacy_active_plans(pharmacy: Pharmacy, *, today: dt.date) -> int:
    return pharmacy.plans.filter(plan_still_delivering(today)).count()


@dataclass(frozen=True)
class DayHours:
    weekday: int
    label: str
    spans: list[str]  # "09:00–14:00"; empty: closed that day


def week_hours(pharmacy: Pharmacy) -> list[DayHours]:
    """Monday to Sunday with the day's spans (from the prefetched hours)."""
    by_day: dict[int, list[str]] = {}
    for span in pharmacy.hours.all():
        by_day.setdefault(span.weekday, []).append(f"{span.opens:%H:%M}–{span.closes:%H:%M}")
    return [DayHours(day.value, day.label, by_day.get(day.value, [])) for day in Weekday]
