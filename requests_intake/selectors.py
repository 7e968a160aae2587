"""Reading intake data: household search and the zone queues (who may see which zone: zone_access)."""

import datetime as dt

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from core.text import fold
from requests_intake.models import AidPlan, AidRequest, Household, Priority, Zone
from requests_intake.recurrence import plan_occurrences
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


def asks_the_same(request: AidRequest, other: AidRequest) -> bool:
    """The rule for a repeated request: another request of the same household, asking for the same needs (in any
    order). Whether both are still open is for the caller's query to say."""
    return (
        request.pk != other.pk
        and request.household_id == other.household_id
        and frozenset(request.needs) == frozenset(other.needs)
    )


def queue_repeats(aid_requests: list[AidRequest], zone_ids: set[int] | None) -> dict[int, list[AidRequest]]:
    """For each request of a queue page, the other open requests in `zone_ids` that ask the same (`asks_the_same`),
    oldest first; a request with none is left out. One query for the whole page."""
    households = {r.household_id for r in aid_requests}
    if not households:
        return {}
    candidates = list(
        in_zone_ids(
            AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES, household_id__in=households), zone_ids
        )
        .only("reference", "household", "needs", "received_at")
        .order_by("received_at", "pk")
    )
    repeats = {}
    for request in aid_requests:
        same = [other for other in candidates if asks_the_same(request, other)]
        if same:
            repeats[request.pk] = same
    return repeats


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


# Orders in these states will not be delivered any more: they are not "coming".
_ORDER_CLOSED = ("delivered", "cancelled", "failed")


def household_active_plans(household: Household, *, today: dt.date) -> list[AidPlan]:
    """Plans of the household that will still deliver: not paused, not past their end or eligibility, and either
    recurring or with a first delivery still to come."""
    plans = AidPlan.objects.filter(request__household=household, paused_at__isnull=True).select_related("request")
    return [
        plan
        for plan in plans.order_by("first_delivery_on", "pk")
        if (plan.valid_until is None or plan.valid_until >= today)
        and (
            plan.first_delivery_on >= today
            or (plan.repeat_every_days and (plan.repeat_until is None or plan.repeat_until >= today))
        )
    ]


def household_next_delivery(household: Household, *, today: dt.date):
    """The household's next order still to be delivered (today or later), or None."""
    return household.orders.filter(due_date__gte=today).exclude(status__in=_ORDER_CLOSED).order_by("due_date").first()


def household_deliveries_on(household: Household, day: dt.date) -> list[str]:
    """What already brings aid to the household on `day`: its open orders that day and its recurring plans that
    deliver that day, as request references."""
    references = set(
        household.orders.filter(due_date=day)
        .exclude(status__in=_ORDER_CLOSED)
        .values_list("plan__request__reference", flat=True)
    )
    for plan in household_active_plans(household, today=day):
        if plan.first_delivery_on == day or day in plan_occurrences(plan, after=day - dt.timedelta(days=1), until=day):
            references.add(plan.request.reference)
    return sorted(references)


def household_commitments(household: Household, *, today: dt.date, besides: AidRequest | None = None) -> dict:
    """What intake and assessment show before anything new is decided: open requests (other than `besides`),
    plans still delivering, and the next delivery."""
    open_requests = household.requests.filter(status__in=AidRequest.OPEN_STATUSES).order_by("-received_at")
    if besides is not None:
        open_requests = open_requests.exclude(pk=besides.pk)
    return {
        "open_requests": list(open_requests),
        "active_plans": household_active_plans(household, today=today),
        "next_delivery": household_next_delivery(household, today=today),
    }
