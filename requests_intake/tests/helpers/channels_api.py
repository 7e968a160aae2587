"""The gateway's token and the rows a message may create, for test_channels_api_services.py and _pages.py."""

import io

from django.core.management import call_command

from requests_intake.models import AidRequest, Household, Notification, RequestMessage


def _gateway_token(name: str = "whatsapp-gateway") -> str:
    out = io.StringIO()
    call_command("gateway_token", name, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _counts() -> tuple[int, int, int, int]:
    return (
        Household.objects.count(),
        AidRequest.objects.count(),
        RequestMessage.objects.count(),
        Notification.objects.count(),
    )
