"""Sign-in throttling glue for django-axes: which address a sign-in comes from, and the page a locked-out person sees.

The rules themselves (how many failures, for how long) are settings: LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES."""

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from requests_intake.webform import client_address

LOCKED_OUT_STATUS = 429


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures for: the one the public form's rate limit uses, so one proxy setting
    (WEBFORM_CLIENT_IP_HEADER) serves both."""
    return client_address(request)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The locked-out page: what happened, for how long, and who can unlock sooner (a 429, never a sign-in form)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=LOCKED_OUT_STATUS)
