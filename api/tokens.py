"""Integration tokens: made with a scope, shown once, revoked, and their last use recorded."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

# Tells our keys from the per-user DRF tokens (40 hex digits) in the same Authorization header.
KEY_PREFIX = "rpt_"
SHOWN_PREFIX_LENGTH = 12


def key_hash(key: str) -> str:
    # The key is 256 random bits: a plain hash is enough, no slow password hash is needed to resist guessing.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, name: str, scope: str, username: str) -> tuple[ApiToken, str]:
    """Make a token acting as `username` within `scope`; returns it with its key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("Give the token a name (the integration that will use it)."), code="required")}
        )
    if scope not in ApiToken.Scope.values:
        raise ValidationError(
            {
                "scope": ValidationError(
                    _("“%(scope)s” is not a scope; use read_only, intake_only or webhook_only.") % {"scope": scope},
                    code="invalid_scope",
                )
            }
        )
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(
            {"user": ValidationError(_("There is no active user %(name)s.") % {"name": username}, code="unknown_user")}
        )
    if user.is_superuser:
        raise ValidationError(
            {
                "user": ValidationError(
                    _("User %(name)s is a superuser; give tokens to accounts with a role.") % {"name": username},
                    code="superuser",
                )
            }
        )
    if ApiToken.objects.filter(name=name).exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("A token named %(name)s already exists; revoke it or choose another name.") % {"name": name},
                    code="duplicate_name",
                )
            }
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, scope=scope, user=user, key_hash=key_hash(key), prefix=key[:SHOWN_PREFIX_LENGTH]
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, name: str) -> ApiToken:
    """Stop the token working from now on; it stays listed, with the time it was revoked."""
    token = ApiToken.objects.select_for_update().filter(name=name).first()
    if token is None:
        raise ValidationError(_("There is no token named %(name)s.") % {"name": name}, code="unknown_token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(token: ApiToken) -> None:
    """Record the use; at most once a minute, so a busy integration does not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
