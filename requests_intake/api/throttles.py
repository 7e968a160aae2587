"""How often one address may call the gateway webhook (WEBHOOK_RATE_PER_MINUTE), counted in Django's cache."""

import math

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from core.security import client_address


class WebhookRateThrottle(SimpleRateThrottle):
    """Calls per client address in the last minute, whoever the token says the caller is (or a wrong token)."""

    scope = "intake-webhook"

    def get_rate(self) -> str:
        return f"{settings.WEBHOOK_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def webhook_rate_check(request, view) -> None:
    """Count the call; over the limit, a 429 whose JSON says when to send again (and a Retry-After header)."""
    throttle = WebhookRateThrottle()
    if throttle.allow_request(request, view):
        return
    seconds = max(1, math.ceil(throttle.wait() or 1))
    refusal = Throttled(
        detail=ngettext(
            "Too many calls from this address; nothing was stored. Send again in {seconds} second.",
            "Too many calls from this address; nothing was stored. Send again in {seconds} seconds.",
            seconds,
        ).format(seconds=seconds)
    )
    refusal.wait = seconds  # DRF turns it into the Retry-After header
    raise refusal
