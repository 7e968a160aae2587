"""How the API answers when something below it fails."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

RETRY_AFTER_S = 30


def exception_handler(exc, context):
    """DRF's answers, plus: the database unreachable is a 503 the caller should retry, in JSON, not an HTML 500."""
    if isinstance(exc, OperationalError | InterfaceError):  # the connection, not the data: worth a retry
        response = Response({"detail": _("The service is briefly unavailable; try again shortly.")}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    return drf_exception_handler(exc, context)
