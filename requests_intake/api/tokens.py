"""API tokens for people: a token opens through the API exactly what its user's role opens on the pages.

Scopes are the role's Django permissions, checked by each endpoint (inventory.api.permissions,
requests_intake.api.permissions), so a token never reaches more than its holder's own account does."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

GATEWAY_GROUP = "gateway"  # the service accounts of `manage.py gateway_token`


def _user_may_hold_token(user) -> None:
    if not user.is_active:
        raise ValidationError(
            _("User %(name)s is inactive; activate the account first.") % {"name": user.username}, code="user_inactive"
        )
    if user.is_superuser:
        # A superuser's token would open every endpoint with no role behind it, and outlive any role change.
        raise ValidationError(
            _("User %(name)s is a superuser; give tokens to accounts with a role instead.") % {"name": user.username},
            code="user_is_superuser",
        )
    if user.groups.filter(name=GATEWAY_GROUP).exists():
        raise ValidationError(
            _("User %(name)s is a gateway; use “manage.py gateway_token %(name)s --rotate” for it.")
            % {"name": user.username},
            code="user_is_gateway",
        )
    if not user.get_all_permissions():
        raise ValidationError(
            _("User %(name)s has no role, so a token would open nothing; give the account a role first.")
            % {"name": user.username},
            code="user_without_role",
        )


@transaction.atomic
def api_token_issue(*, username: str, rotate: bool = False) -> tuple[Token, bool]:
    """The user's token, made now if they had none or if `rotate` (the old key stops working); (token, is_new)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(_("There is no user %(name)s.") % {"name": username}, code="user_unknown")
    _user_may_hold_token(user)
    if rotate:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)


@transaction.atomic
def api_token_revoke(*, username: str) -> bool:
    """Delete the user's token; False when they had none."""
    deleted, _rows = Token.objects.filter(user__username=username).delete()
    return bool(deleted)
