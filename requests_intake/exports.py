"""Households out of Reparto: a zone's list as a spreadsheet, and everything kept about one household when the
person asks for their data (right of access).

A social worker assigned to zones exports those zones only; anyone else with the export permission, every zone.
Each export is logged, since it takes personal data out of the application."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import FileField, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sheets import csv_text, xlsx_content
from requests_intake.models import Household, Zone
from requests_intake.resources import HouseholdResource

logger = logging.getLogger(__name__)

EXPORT_PERMISSION = "requests_intake.export_household"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def zones_user_may_export(user) -> QuerySet[Zone]:
    """The zones whose households the user may export."""
    if not user.has_perm(EXPORT_PERMISSION):
        return Zone.objects.none()
    assigned = Zone.objects.filter(social_workers=user)
    return assigned if assigned.exists() else Zone.objects.all()


def _ensure_may_export(user, zone: Zone | None) -> None:
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied(_("You may not export households' personal data."))
    assigned = set(Zone.objects.filter(social_workers=user).values_list("pk", flat=True))
    if assigned and (zone is None or zone.pk not in assigned):
        raise PermissionDenied(_("You may export only the households of your own zones."))


def zone_households_export(*, user, zone: Zone, file_format: str) -> tuple[bytes, str, str]:
    """A zone's households as (content, content type, file name).

    CSV comes with semicolons and a byte-order mark: what a Spanish Excel opens with its accents right."""
    if file_format not in CONTENT_TYPES:
        raise ValidationError(
            _("Households export as %(formats)s.") % {"formats": ", ".join(CONTENT_TYPES)}, code="bad_format"
        )
    _ensure_may_export(user, zone)
    resource = HouseholdResource()
    households = resource.get_queryset().filter(zone=zone).order_by("family_name", "given_name", "pk")
    dataset = resource.export(queryset=households, force_native_type=file_format == "xlsx")
    if file_format == "csv":
        content = csv_text([dataset.headers, *dataset], delimiter=";").encode("utf-8-sig")
    else:
        content = xlsx_content(title=zone.name, headers=dataset.headers, rows=dataset)
    logger.info("%s exported the %s households of zone %s as %s", user, len(dataset), zone.code, file_format)
    name = f"households-{zone.code}-{timezone.localdate().isoformat()}.{file_format}"
    return content, CONTENT_TYPES[file_format], name


def _values(instance: Model, *, leave_out: tuple[str, ...] = ()) -> dict:
    """Every stored field of a row; related rows by their name. Staff accounts are left out: they are not the
    person's data."""
    user_model = get_user_model()
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in leave_out:
            continue
        if field.is_relation:
            if field.related_model is user_model:
                continue
            related = getattr(instance, field.name)
            values[field.name] = None if related is None else str(related)
        elif isinstance(field, FileField):  # a signature or photo: its stored name, the file goes with the request
            values[field.name] = field.value_from_object(instance).name or None
        else:
            values[field.name] = field.value_from_object(instance)
    return values


def _household_records(household: Household) -> dict:
    requests = household.requests.select_related("plan", "zone").prefetch_related(
        "messages", "notifications", "plan__lines__pack"
    )
    orders = household.orders.prefetch_related("lines__pack", "stops__round").order_by("due_date", "pk")
    request_records = []
    for aid_request in requests.order_by("received_at", "pk"):
        plan = getattr(aid_request, "plan", None)
        request_records.append(
            {
                **_values(aid_request, leave_out=("household",)),
                "plan": None
                if plan is None
                else {
                    **_values(plan, leave_out=("request",)),
                    "lines": [_values(line, leave_out=("plan",)) for line in plan.lines.all()],
                },
                "messages": [_values(message, leave_out=("request",)) for message in aid_request.messages.all()],
                "notifications": [
                    _values(notification, leave_out=("request",)) for notification in aid_request.notifications.all()
                ],
            }
        )
    return {
        "household": _values(household, leave_out=("search_text",)),
        "members": [_values(member, leave_out=("household",)) for member in household.people.all()],
        "requests": request_records,
        "orders": [
            {
                **_values(order, leave_out=("household",)),
                "lines": [_values(line, leave_out=("order",)) for line in order.lines.all()],
                "deliveries": [
                    {"date": stop.round.date, **_values(stop, leave_out=("order", "round", "sequence"))}
                    for stop in order.stops.all()
                ],
            }
            for order in orders
        ],
    }


def household_personal_data(*, user, household: Household) -> dict:
    """Everything kept about a household, for the person's access request: the record, members, requests with
    their plans, messages and notifications, and orders with how each delivery went. Records merged into this one
    come along, since they are the same person's."""
    _ensure_may_export(user, household.zone)
    data = {
        "exported_at": timezone.now(),
        **_household_records(household),
        "merged_records": [_household_records(merged) for merged in household.merged.order_by("pk")],
    }
    logger.info("%s exported the personal data of household %s", user, household.pk)
    return data
