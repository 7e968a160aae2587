"""Reading intake data: household search and the zone queues (who may see which zone: zone_access)."""

import datetime as dt

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from core.text import fold
from requests_intake.models import AidPlan, AidRequest, Household, Priority, Zone
from requests_intake.zone_access import in_zone_ids


def households_search(query: str, limit: int = 20, *, zone_ids: set[int] | None = None) -> QuerySet[Household]:
    """Households whose document, phone, name or address contain every word of the query, ignoring case and
    accents; "968 12 34" finds the phone +34968123456. Records merged into another are left out, and so are
    households outside `zone_ids` (from `zone_ids_for`; None: every zone)."""
    words = fold(query).split()
    if words and all(word.isdigit() for word in words):
        words = ["".join(words)]  # a phone or document number read out in groups
    matches = Q(merged_into__isnull=True)
    for word in words:
        matches &= Q(search_text__contains=word)
    found = in_zone_ids(Household.objects.filter(matches), zone_ids)
    return found.select_related("zone").order_by("family_name", "given_name")[:limit]


# What a queue row shows of a request.
QUEUE_COLUMNS = ("reference", "priority", "received_at", "needs", "channel", "status", "household", "zone__name")


def requests_queue(zone_ids: set[int] | None, *, zone: Zone | None = None) -> QuerySet[AidRequest]:
    """Open requests in `zone_ids` (from `zone_ids_for`; None: every zone), most urgent first, then oldest first.

    Only the columns the queue shows are read; the household comes in a second query by primary key, which for a
    page of fifty is cheaper than joining the household table before the page is cut."""
    queue = in_zone_ids(AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES), zone_ids)
    if zone is not None:
        queue = queue.filter(zone=zone)
    # The owner column: the household's professional of reference, joined in the same second query.
    households = Household.objects.select_related("reference_worker").only(
        "given_name",
        "family_name",
        "members",
        "reference_worker__username",
        "reference_worker__first_name",
        "reference_worker__last_name",
    )
    return (
        queue.select_related("zone")
        .only(*QUEUE_COLUMNS)
        .prefetch_related(Prefetch("household", queryset=households))
        .order_by("priority", "received_at")
    )


def zone_workload(zone_ids: set[int] | None) -> list[dict]:
    """Per zone in `zone_ids` (None: every zone): open requests, how many are urgent or waiting for information,
    the oldest."""
    rows = (
        in_zone_ids(AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES), zone_ids)
        .values("zone__pk", "zone__code", "zone__name")
        .annotate(
            open=Count("pk"),
            urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
            waiting=Count("pk", filter=Q(status=AidRequest.Status.MORE_INFO)),
            oldest=Min("received_at"),
        )
        .order_by("zone__name")
    )
    return list(rows)


def plans_to_review(zone_ids: set[int] | None, *, today: dt.date, within_days: int = 14) -> QuerySet[AidPlan]:
    """Plans whose eligibility ends within `within_days` (or has ended) in `zone_ids` (None: every zone): review
    or let lapse."""
    plans = AidPlan.objects.filter(
        valid_until__isnull=False,
        valid_until__lte=today + dt.timedelta(days=within_days),
        request__status=AidRequest.Status.APPROVED,
    )
    return (
        in_zone_ids(plans, zone_ids, "request__zone")
        .select_related("request__household")
        .only(
            "valid_until",
            "request__reference",
            "request__household__given_name",
            "request__household__family_name",
        )
        .order_by("valid_until", "pk")
    )
