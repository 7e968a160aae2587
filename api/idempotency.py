"""`Idempotency-Key` on POST: a caller that lost the answer (timeout, dropped connection) sends the same request
again with the same key and gets the first answer, while nothing is done twice.

The same key from the same user with another body or another URL is a caller's mistake: 422, nothing done."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api.models import IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class BadKey(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_invalid"


class _Replay(Exception):
    def __init__(self, response: Response):
        self.response = response


def _fingerprint(request) -> str:
    try:
        body = request._request.body
    except RawPostDataException:  # a form already read by the CSRF check: hash what it parsed
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    return hashlib.sha256(body).hexdigest()


class IdempotentPostMixin:
    """For DRF views: every POST may carry an Idempotency-Key (checked after authentication and permissions)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency = None
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.user.is_authenticated:
            return
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise BadKey(_("The Idempotency-Key header must hold 1 to 255 characters."))
        method_path = f"{request.method} {request.path}"[:300]
        fingerprint = _fingerprint(request)
        stored = IdempotentResponse.objects.filter(user=request.user, key=key).first()
        if stored is not None:
            if stored.method_path != method_path or stored.fingerprint != fingerprint:
                raise KeyReused(
                    _("This Idempotency-Key was already used for another request; use a new key for a new request.")
                )
            replay = Response(stored.body, status=stored.status)
            replay["Idempotent-Replayed"] = "true"
            raise _Replay(replay)
        self._idempotency = (key, method_path, fingerprint)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        pending = getattr(self, "_idempotency", None)
        # A server error may not have happened at all on a retry: it is not kept, so the retry runs again.
        if pending is not None and response.status_code < 500:
            key, method_path, fingerprint = pending
            try:
                with transaction.atomic():
                    IdempotentResponse.objects.create(
                        key=key,
                        user=request.user,
                        method_path=method_path,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=getattr(response, "data", None),
                    )
            except IntegrityError:
                pass  # the same request, sent twice at once, already stored its answer
            self._idempotency = None
        return response
