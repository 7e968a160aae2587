"""API permissions: the same Django model permissions the roles carry (core/roles.py), for reading too."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission, DjangoModelPermissions

VIEW = "%(app_label)s.view_%(model_name)s"


class RolePermissions(DjangoModelPermissions):
    """Reading needs the model's view permission, writing its add/change/delete permission.

    DRF's own class lets any signed-in user read; here a driver or an intake operator is refused everything."""

    message = _("Your role does not allow this; ask a manager if you need it.")
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [VIEW],
        "HEAD": [VIEW],
        "OPTIONS": [VIEW],
    }


class CanViewStock(BasePermission):
    """Stock figures are read by whoever may see lots; nothing is ever written through them."""

    message = RolePermissions.message

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("inventory.view_stocklot"))
