"""One error shape for the whole API: {"error": {"code", "message", "fields"}}.

A caller branches on `code` (stable, English, snake_case); `message` is for people, in their language; `fields`
names each wrong input with its messages. Domain services raise Django ValidationErrors with a `code`: they are the
same 400 as a serializer's refusal, so the API adds no rule and no wording of its own."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings

from core.api import exception_handler as core_exception_handler

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def _first_code(codes) -> str | None:
    if isinstance(codes, dict):
        for value in codes.values():
            found = _first_code(value)
            if found:
                return found
        return None
    if isinstance(codes, list):
        for value in codes:
            found = _first_code(value)
            if found:
                return found
        return None
    return str(codes) if codes else None


# DRF's codes for one wrong field; the answer as a whole is then "invalid". A service's own code (e.g.
# "quantity_too_large") names the whole answer.
GENERIC_CODES = frozenset(
    {
        "invalid",
        "required",
        "null",
        "blank",
        "max_length",
        "min_length",
        "max_value",
        "min_value",
        "invalid_choice",
        "does_not_exist",
        "incorrect_type",
        "empty",
        "not_a_list",
        "max_digits",
        "max_decimal_places",
        "max_whole_digits",
        "date",
        "datetime",
        "unique",
        "max_string_length",
    }
)


def _specific(codes):
    if isinstance(codes, dict):
        return {name: _specific(value) for name, value in codes.items()}
    if isinstance(codes, list):
        return [_specific(value) for value in codes]
    return None if codes in GENERIC_CODES else codes


def _fields(detail) -> dict:
    """Field → messages, nested serializers flattened to dotted names ("lines.0.quantity")."""
    fields: dict[str, list[str]] = {}

    def walk(value, prefix: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, f"{prefix}.{name}" if prefix else str(name))
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            for index, inner in enumerate(value):
                if inner:
                    walk(inner, f"{prefix}.{index}" if prefix else str(index))
        else:
            fields.setdefault(prefix or NON_FIELD, []).extend(_flatten(value))

    walk(detail, "")
    return fields


def domain_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's refusal as a DRF 400, its fields and its code kept."""
    if hasattr(exc, "error_dict"):
        detail = exc.message_dict
        codes = [e.code for errors in exc.error_dict.values() for e in errors if e.code]
    else:
        detail = {NON_FIELD: exc.messages}
        codes = [e.code for e in exc.error_list if e.code]
    return exceptions.ValidationError(detail, code=codes[0] if codes else "invalid")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    """DRF's exception handler, answering in the one error shape (and a down database still a 503 to retry)."""
    if isinstance(exc, DjangoValidationError):
        exc = domain_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = core_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == 503 and not isinstance(exc, exceptions.APIException):
        response.data = error_body("service_unavailable", str(response.data.get("detail", "")))
        return response
    if isinstance(exc, exceptions.ValidationError):
        code = _first_code(_specific(exc.get_codes())) or "invalid"
        messages = _flatten(exc.detail)
        message = messages[0] if len(messages) == 1 else _("Some values are not valid; see fields.")
        response.data = error_body(code, message, _fields(exc.detail))
        return response
    if isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        code = code if isinstance(code, str) else exc.default_code
        response.data = error_body(code, " ".join(_flatten(exc.detail)))
    return response


class ErrorShapeMixin:
    """For v1 views: errors in the one shape. The first paths keep the answers their callers already parse."""

    def get_exception_handler(self):
        return exception_handler
