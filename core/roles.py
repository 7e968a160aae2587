"""The six roles of Reparto, as auth groups with the permissions each one needs.

Views check permissions, never group names, so a deployment can reshape roles in the admin.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

INTAKE_OPERATOR = "intake_operator"
SOCIAL_WORKER = "social_worker"
LOGISTICS_PLANNER = "logistics_planner"
DRIVER = "driver"
SUPPLIER_COORDINATOR = "supplier_coordinator"
MANAGER = "manager"

ROLE_LABELS = {
    INTAKE_OPERATOR: _("Intake operator"),
    SOCIAL_WORKER: _("Social worker"),
    LOGISTICS_PLANNER: _("Logistics planner"),
    DRIVER: _("Driver"),
    SUPPLIER_COORDINATOR: _("Supplier coordinator"),
    MANAGER: _("Manager"),
}

ROLE_PERMISSIONS: dict[str, list[str]] = {
    INTAKE_OPERATOR: [
        "requests_intake.view_household",
        "requests_intake.add_household",
        "requests_intake.change_household",
        "requests_intake.view_householdmember",
        "requests_intake.add_householdmember",
        "requests_intake.view_aidrequest",
        "requests_intake.add_aidrequest",
        "requests_intake.view_requestmessage",
        "requests_intake.add_requestmessage",
    ],
    SOCIAL_WORKER: [
        "requests_intake.view_household",
        "requests_intake.change_household",
        "requests_intake.merge_household",
        "requests_intake.view_vulnerability",
        "requests_intake.export_household",
        "requests_intake.view_householdmember",
        "requests_intake.add_householdmember",
        "requests_intake.change_householdmember",
        "requests_intake.delete_householdmember",
        "requests_intake.view_aidrequest",
        "requests_intake.decide_aidrequest",
        "requests_intake.view_aidplan",
        "requests_intake.change_aidplan",
        "requests_intake.view_requestmessage",
        "requests_intake.add_requestmessage",
        "requests_intake.view_notification",
        "inventory.view_pack",
        # Case work: the professional of reference, case notes (interventions) and home visits.
        "requests_intake.add_caseassignment",
        "requests_intake.view_intervention",
        "requests_intake.add_intervention",
        "requests_intake.view_homevisit",
        "requests_intake.add_homevisit",
        "requests_intake.change_homevisit",
        "delivery.view_welfareconcern",
        "delivery.change_welfareconcern",
    ],
    LOGISTICS_PLANNER: [
        "logistics.view_deliveryorder",
        "logistics.view_vehicle",
        "routing.view_planningrun",
        "routing.plan_rounds",
        "logistics.change_deliveryorder",
        "logistics.view_drivershift",
        "logistics.add_drivershift",
        "logistics.change_drivershift",
        "logistics.delete_drivershift",
        "logistics.view_driverabsence",
        "logistics.add_driverabsence",
        "logistics.change_driverabsence",
        "logistics.delete_driverabsence",
        "logistics.change_vehicle",
        # The delivery calendar: local holidays and the weekdays vans go to each zone and depot.
        "logistics.view_localholiday",
        "logistics.add_localholiday",
        "logistics.delete_localholiday",
        "logistics.view_deliveryday",
        "logistics.add_deliveryday",
        "logistics.delete_deliveryday",
        # The pharmacies medication is collected from: kept by planners and managers.
        "requests_intake.view_pharmacy",
        "requests_intake.add_pharmacy",
        "requests_intake.change_pharmacy",
        "inventory.view_item",
        "inventory.view_stocklot",
        "inventory.view_stockmovement",
        "inventory.add_stockmovement",
        "inventory.assemble_pack",
        "inventory.view_purchaseorder",
        "inventory.view_stockalert",
    ],
    DRIVER: [
        "delivery.record_delivery",
        "delivery.add_welfareconcern",
    ],
    SUPPLIER_COORDINATOR: [
        "inventory.view_item",
        "inventory.add_item",
        "inventory.change_item",
        # The catalogue: items and packs, one by one or from a sheet (api catalogue import).
        "inventory.view_pack",
        "inventory.add_pack",
        "inventory.change_pack",
        "inventory.view_stocklot",
        "inventory.add_stocklot",
        "inventory.view_stockmovement",
        "inventory.add_stockmovement",
        "inventory.assemble_pack",
        "inventory.view_supplier",
        "inventory.add_supplier",
        "inventory.change_supplier",
        "inventory.view_purchaseorder",
        "inventory.add_purchaseorder",
        "inventory.change_purchaseorder",
        "inventory.view_stockalert",
        "inventory.change_stockalert",
        "inventory.view_stockcount",
        "inventory.add_stockcount",
    ],
    MANAGER: [
        "requests_intake.view_household",
        "requests_intake.view_householdmember",
        "requests_intake.view_vulnerability",
        "requests_intake.view_audit",
        "requests_intake.export_household",
        "requests_intake.view_aidrequest",
        "requests_intake.view_aidplan",
        "requests_intake.view_requestmessage",
        "requests_intake.view_zone",
        "requests_intake.change_zone",
        "requests_intake.view_packrule",
        "requests_intake.change_packrule",
        "requests_intake.view_pharmacy",
        "requests_intake.add_pharmacy",
        "requests_intake.change_pharmacy",
        "logistics.view_deliveryorder",
        "logistics.view_vehicle",
        "logistics.view_localholiday",
        "logistics.view_deliveryday",
        "routing.view_planningrun",
        "inventory.view_item",
        "inventory.view_stocklot",
        "inventory.view_stockmovement",
        "inventory.add_stockmovement",
        "inventory.view_supplier",
        "inventory.view_purchaseorder",
        "inventory.view_stockalert",
        "inventory.view_stockcount",
        "requests_intake.view_notification",
        "logistics.view_drivershift",
        "logistics.view_driverabsence",
        "delivery.view_welfareconcern",
        "delivery.view_satisfactionsurvey",
        "requests_intake.add_caseassignment",
        "requests_intake.view_intervention",
        "requests_intake.view_homevisit",
        "requests_intake.view_complaint",
        "requests_intake.add_complaint",
        "requests_intake.change_complaint",
        # API tokens acting as themselves (for the BI tools), in the admin's token manager when they are staff.
        "api.view_apitoken",
        "api.add_apitoken",
        "api.change_apitoken",
    ],
}


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create every role group and give it exactly the permissions listed above."""
    # Every permission read once (a few hundred rows), not one query per listed code: every test's users and every
    # seed start here.
    permission_ids = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    missing = sorted({code for codes in ROLE_PERMISSIONS.values() for code in codes} - permission_ids.keys())
    if missing:
        raise Permission.DoesNotExist(f"Permissions listed for the roles but not in the database: {missing}")
    groups = {}
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([permission_ids[code] for code in codes])
        groups[role] = group
    return groups


def user_roles(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [name for name in user.groups.values_list("name", flat=True) if name in ROLE_LABELS]


def roles_context(request: HttpRequest) -> dict:
    roles = user_roles(request.user)
    return {"user_roles": roles, "user_role_labels": [ROLE_LABELS[r] for r in roles]}
