from django.db.models import Q, QuerySet

from requests_intake.models import AidRequest, Household


def households_search(query: str, limit: int = 20) -> QuerySet[Household]:
    """Households whose document, phone, name or address contains the query (case-insensitive)."""
    words = query.split()
    matches = Q()
    for word in words:
        digits = "".join(ch for ch in word if ch.isdigit())
        word_q = (
            Q(document_number__icontains=word)
            | Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(address__icontains=word)
        )
        if len(digits) >= 3:
            word_q |= Q(phone__contains=digits)
        matches &= word_q
    return Household.objects.filter(matches).select_related("zone")[:limit]


def requests_awaiting_assessment() -> QuerySet[AidRequest]:
    return (
        AidRequest.objects.filter(status=AidRequest.Status.IN_ASSESSMENT)
        .select_related("household__zone")
        .order_by("received_at")
    )
