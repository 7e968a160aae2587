"""Who may post messages: a gateway's service user (see `manage.py gateway_token`), and nobody else."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

# A permission no role holds: an intake operator may add messages on the pages, but her token is not a gateway's.
GATEWAY_PERMISSIONS = ("requests_intake.post_gateway_messages",)


class CanReceiveMessages(BasePermission):
    """The token's user must be a gateway (hold the gateway permission), not merely someone who handles messages."""

    message = _("This token may not post messages; create one with “manage.py gateway_token NAME”.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(GATEWAY_PERMISSIONS))
