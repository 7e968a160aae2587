"""The link every message to a requester carries: `/estado/<token>/`, their request's status and next delivery.

The token is the only key, so it is long and random (secrets.token_urlsafe(32)) and it expires. A link is reused
while it is fresh and unused, so a household is not sent a new address with every message."""

import datetime as dt
import secrets

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import AidRequest, StatusLink

# How long a link opens the page. A message older than this was about a delivery long gone.
STATUS_LINK_DAYS = 30
# A link closer than this to its end is not sent again: the person may read the message days later.
REUSE_MIN_DAYS_LEFT = 7


def status_link_for(request: AidRequest, *, now: dt.datetime | None = None) -> StatusLink:
    """A fresh link to the request's status page: the latest one if it is unused and not near its end."""
    now = now or timezone.now()
    unused = Q(confirmed_at__isnull=True, another_day_at__isnull=True)
    link = (
        StatusLink.objects.filter(unused, request=request, expires_at__gt=now + dt.timedelta(days=REUSE_MIN_DAYS_LEFT))
        .order_by("-expires_at")
        .first()
    )
    if link is not None:
        return link
    return StatusLink.objects.create(
        request=request,
        token=secrets.token_urlsafe(32),
        expires_at=now + dt.timedelta(days=STATUS_LINK_DAYS),
    )


def status_link_url(link: StatusLink) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("status_page", args=[link.token])


def status_link_valid(token: str, *, now: dt.datetime | None = None) -> StatusLink | None:
    """The link for the token while it lasts; None for an unknown or expired one (the page answers 404 alike)."""
    if not token or len(token) > StatusLink._meta.get_field("token").max_length:
        return None
    return (
        StatusLink.objects.filter(token=token, expires_at__gt=now or timezone.now())
        .select_related("request__household")
        .first()
    )
