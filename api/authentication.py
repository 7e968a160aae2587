"""Integration tokens in the Authorization header: `Bearer rpt_…` (or `Token rpt_…`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.models import ApiToken
from api.tokens import KEY_PREFIX, api_token_touch, key_hash


class ApiTokenAuthentication(BaseAuthentication):
    """Answers only for our keys; any other header is left to the per-user DRF token and the session."""

    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in self.keywords:
            return None
        try:
            key = parts[1].decode()
        except UnicodeError:
            return None
        if not key.startswith(KEY_PREFIX):
            return None
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is unknown or revoked."))
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Bearer"
