"""Reading intake data: household search, the zone queues, and who may see which zone."""

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet

from requests_intake.models import AidPlan, AidRequest, Household, Priority, Zone, fold


def zone_ids_for(user) -> set[int] | None:
    """The zones a user works in, or None for every zone.

    A social worker listed on some zones works those; managers (who may read the audit) and anyone on no zone's
    list see every zone, which is how a small town with one social worker runs."""
    if user.has_perm("requests_intake.view_audit"):
        return None
    ids = set(user.zones.values_list("pk", flat=True))
    return ids or None


def in_zones(queryset: QuerySet, user, field: str = "zone") -> QuerySet:
    ids = zone_ids_for(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def households_search(query: str, limit: int = 20) -> QuerySet[Household]:
    """Households whose document, phone, name or address contain every word of the query, ignoring case and
    accents; "968 12 34" finds the phone +34968123456. Records merged into another are left out."""
    words = fold(query).split()
    if words and all(word.isdigit() for word in words):
        words = ["".join(words)]  # a phone or document number read out in groups
    matches = Q(merged_into__isnull=True)
    for word in words:
        matches &= Q(search_text__contains=word)
    return Household.objects.filter(matches).select_related("zone").order_by("family_name", "given_name")[:limit]


def requests_queue(user, *, zone: Zone | None = None) -> QuerySet[AidRequest]:
    """Open requests for the user's zones, most urgent first, then oldest first."""
    queue = AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES)
    queue = in_zones(queue, user)
    if zone is not None:
        queue = queue.filter(zone=zone)
    return queue.select_related("household__zone", "zone").order_by("priority", "received_at")


def zone_workload(user) -> list[dict]:
    """Per zone the user sees: open requests, how many are urgent or waiting for information, the oldest."""
    rows = (
        in_zones(AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES), user)
        .values("zone__pk", "zone__name")
        .annotate(
            open=Count("pk"),
            urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
            waiting=Count("pk", filter=Q(status=AidRequest.Status.MORE_INFO)),
            oldest=Min("received_at"),
        )
        .order_by("zone__name")
    )
    return list(rows)


def plans_to_review(user, *, today: dt.date, within_days: int = 14) -> QuerySet[AidPlan]:
    """Plans whose eligibility ends within `within_days` (or has ended) in the user's zones: review or let lapse."""
    plans = AidPlan.objects.filter(
        valid_until__isnull=False,
        valid_until__lte=today + dt.timedelta(days=within_days),
        request__status=AidRequest.Status.APPROVED,
    )
    return in_zones(plans, user, "request__zone").select_related("request__household").order_by("valid_until")
