"""Who may post messages: a gateway's service user (see `manage.py gateway_token`), checked like any role."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

GATEWAY_PERMISSIONS = ("requests_intake.add_aidrequest", "requests_intake.add_requestmessage")


class CanReceiveMessages(BasePermission):
    """The token's user must be allowed both to start requests and to add messages to them."""

    message = _("This token may not post messages; create one with “manage.py gateway_token NAME”.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(GATEWAY_PERMISSIONS))
