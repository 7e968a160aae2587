from django.db.models import Q, QuerySet

from requests_intake.models import AidRequest, Household, fold


def households_search(query: str, limit: int = 20) -> QuerySet[Household]:
    """Households whose document, phone, name or address contain every word of the query, ignoring case and
    accents; "968 12 34" finds the phone +34968123456."""
    words = fold(query).split()
    if words and all(word.isdigit() for word in words):
        words = ["".join(words)]  # a phone or document number read out in groups
    matches = Q()
    for word in words:
        matches &= Q(search_text__contains=word)
    return Household.objects.filter(matches).select_related("zone").order_by("family_name", "given_name")[:limit]


def requests_awaiting_assessment() -> QuerySet[AidRequest]:
    return (
        AidRequest.objects.filter(status=AidRequest.Status.IN_ASSESSMENT)
        .select_related("household__zone")
        .order_by("received_at")
    )
