"""Who is asking: the client address every limit counts by (sign-in lockout, public form, survey, gateway webhook),
and the page a locked-out person sees.

The rules themselves (how many failures, for how long) are settings: LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES."""

import ipaddress
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT_STATUS = 429


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request; every limit counts by it (axes too, via AXES_CLIENT_IP_CALLABLE).

    Without TRUSTED_PROXY_COUNT it is the connection's own address and X-Forwarded-For is ignored: anyone can write
    that header. Behind N proxies of our own, each one appended the address it was reached from, so the N-th entry
    from the right was written by the outermost proxy and is the client; entries left of it are the client's to
    invent and are never used."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones, and the left-most entry is whoever reached ours.
    client = hops[-min(proxies, len(hops))]
    # Our own proxy wrote it, so anything but an address is a misconfiguration: count by the connection instead.
    return client if _is_address(client) else remote


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The locked-out page: what happened, for how long, and who can unlock sooner (a 429, never a sign-in form)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=LOCKED_OUT_STATUS)
