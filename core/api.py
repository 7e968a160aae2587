"""How the API answers when something below it fails."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

RETRY_AFTER_S = 30
# DRF's own msgid, written here so makemessages keeps it in our catalogue: LOCALE_PATHS wins over DRF's Spanish
# ("requerido"), and "obligatorio" is the word every other form uses (core/tests/test_catalogue_check.py).
DRF_REQUIRED = gettext_noop("This field is required.")


def exception_handler(exc, context):
    """DRF's answers, plus: the database unreachable is a 503 the caller should retry, in JSON, not an HTML 500."""
    if isinstance(exc, OperationalError | InterfaceError):  # the connection, not the data: worth a retry
        response = Response({"detail": _("The service is briefly unavailable; try again shortly.")}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    return drf_exception_handler(exc, context)
