"""A form sent twice (a double click, a retry on a slow line) is saved once.

Every create form carries a one-time token (`{% form_token %}`). The first POST with a token claims it in the
cache (`cache.add` is atomic in Redis); a repeat of the same token is not run again: it goes where the first one
went, or, while the first is still being saved, is told so. A form sent back with errors frees its token, so the
corrected form can be sent again."""

import functools
import secrets
import time

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

FIELD = "form_token"
# Long enough to cover a form left open over lunch and sent twice; tokens are never reused after that.
KEEP_S = 6 * 3600
PENDING = "pending"
# How long a repeat waits for the first submission to finish before it is told to look again.
WAIT_S = 3.0
POLL_S = 0.1


def form_token_new() -> str:
    """A fresh token for one form on one page."""
    return secrets.token_urlsafe(18)


def _key(request: HttpRequest, token: str) -> str:
    return f"form-token:{request.user.pk or request.session.session_key}:{token[:64]}"


def _first_answer(key: str) -> str | None:
    """Where the first submission went, waiting a little if it is still being saved."""
    deadline = time.monotonic() + WAIT_S
    while True:
        stored = cache.get(key)
        if stored != PENDING or time.monotonic() >= deadline:
            return None if stored in (PENDING, None) else stored
        time.sleep(POLL_S)


def once_per_form_token(view):
    """Run a create view once per form token: repeats are sent where the first submission went."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        key = _key(request, token)
        if not cache.add(key, PENDING, KEEP_S):
            target = _first_answer(key)
            if target is None:
                return render(request, "form_token_pending.html", status=409)
            messages.info(request, _("This form had already been sent; it was saved once."))
            return redirect(target)
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            cache.set(key, response["Location"], KEEP_S)
        else:
            # Sent back with errors (or refused): nothing was saved, the corrected form may use the same token.
            cache.delete(key)
        return response

    return wrapper
