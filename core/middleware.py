"""What every signed-in request goes through: the session's limits, a required password change, and no caching of
pages that carry people's data."""

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import password_change_pending
from core.roles import DRIVER, user_roles

LAST_SEEN_KEY = "reparto_last_seen"
PASSWORD_CHANGE_KEY = "reparto_password_change_pending"
# The last-seen time is written at most once a minute, so an active person costs one session save a minute, not
# one per request; the idle limit is then exact to within that minute.
LAST_SEEN_RESOLUTION_S = 60


class SessionIdleTimeoutMiddleware:
    """Sign out a session left idle for SESSION_IDLE_MINUTES, and end every session SESSION_HOURS after sign-in.

    Django has no idle timeout of its own (SESSION_COOKIE_AGE counts from the last save) and no package for it is
    among our dependencies; this is a dozen lines. Writing the last-seen time saves the session, and every save
    would push its expiry SESSION_COOKIE_AGE further, so the first request of a session fixes the expiry to a
    moment instead: a working day from sign-in, however busy it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is None:
                request.session.set_expiry(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
                request.session[LAST_SEEN_KEY] = now
            elif now - last_seen > settings.SESSION_IDLE_MINUTES * 60 and not _on_the_road(request):
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity; sign in again.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            elif now - last_seen >= LAST_SEEN_RESOLUTION_S:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _on_the_road(request: HttpRequest) -> bool:
    """A driver's phone is personal and may sit in a pocket for an hour between two stops: the idle limit, meant
    for shared office computers, would sign the driver out mid-round. The working-day limit still applies."""
    return user_roles(request.user) == [DRIVER]


class PasswordChangeRequiredMiddleware:
    """Until a user required to change their password (the demo's accounts) has done so, every page leads to the
    password-change page. Not in development (DEBUG): there the published demo password is the point."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DEBUG and request.user.is_authenticated and self._pending(request):
            change = reverse("password_change")
            allowed = (change, reverse("logout"), reverse("set_language"), reverse("health"))
            if request.path not in allowed and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
                return redirect(change)
        return self.get_response(request)

    @staticmethod
    def _pending(request: HttpRequest) -> bool:
        # Asked once a session, not on every request; the password-change view clears it.
        if PASSWORD_CHANGE_KEY not in request.session:
            request.session[PASSWORD_CHANGE_KEY] = password_change_pending(request.user)
        return request.session[PASSWORD_CHANGE_KEY]


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a proxy: household records, exports and the
    driver's stops are personal data, and office computers are shared. A view that sets its own Cache-Control
    (the driver's service worker) keeps it. The driver's offline copy lives in the service worker's cache, which
    HTTP caching headers do not govern."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # request.user is read after the view: an API call's token user is only known by then.
        if "Cache-Control" not in response and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
