"""What a request may do through the API: the role's permissions (as on the pages), narrowed by a token's scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import ApiToken


class TokenScope(BasePermission):
    """An integration token reaches only its scope: read-only tokens read, intake tokens create households and
    requests, webhook tokens post gateway messages. People's tokens and sessions are not narrowed here."""

    message = _("This token's scope does not allow this call.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        scope = token.scope
        if scope == ApiToken.Scope.READ_ONLY:
            return request.method in SAFE_METHODS
        if scope == ApiToken.Scope.INTAKE_ONLY:
            return (
                request.method == "POST"
                and getattr(view, "action", None) == "create"
                and bool(getattr(view, "intake_endpoint", False))
            )
        if scope == ApiToken.Scope.WEBHOOK_ONLY:
            return bool(getattr(view, "gateway_endpoint", False))
        return False


def needs(*permissions: str) -> type[BasePermission]:
    """A permission class: the user holds every one of `permissions` (the ones the matching page checks)."""

    class Needs(BasePermission):
        message = _("Your role does not allow this; ask a manager if you need it.")

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(permissions))

    Needs.__name__ = "Needs_" + "_".join(p.replace(".", "_") for p in permissions)
    return Needs


def needs_any(*permissions: str) -> type[BasePermission]:
    """A permission class: the user holds at least one of `permissions`."""

    class NeedsAny(BasePermission):
        message = _("Your role does not allow this; ask a manager if you need it.")

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and any(user.has_perm(p) for p in permissions))

    NeedsAny.__name__ = "NeedsAny_" + "_".join(p.replace(".", "_") for p in permissions)
    return NeedsAny
