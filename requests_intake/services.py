"""Intake and decisions: registering households and requests, approving and rejecting them."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Pack
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import AidPlan, AidPlanLine, AidRequest, Household, Need, Notification, Zone
from requests_intake.notifications import notification_create
from routing.geocoding import address_locate


def zone_for_postcode(postcode: str) -> Zone | None:
    for zone in Zone.objects.all():
        if postcode in zone.postcode_list:
            return zone
    return None


@transaction.atomic
def household_create(*, actor, **fields) -> Household:
    """Register a household with a checked document and phone; zone and, if not given, point follow from the address."""
    fields["document_number"] = document_normalise(fields["document_type"], fields.get("document_number", ""))
    fields["phone"] = phone_normalise(fields.get("phone", ""))
    if fields.get("zone") is None:
        fields["zone"] = zone_for_postcode(fields.get("postcode", ""))
    if fields.get("latitude") is None and fields.get("longitude") is None:
        point = address_locate(
            address=fields.get("address", ""),
            postcode=fields.get("postcode", ""),
            municipality=fields.get("municipality", ""),
        )
        if point is not None:
            fields["latitude"] = Decimal(f"{point.latitude:.6f}")
            fields["longitude"] = Decimal(f"{point.longitude:.6f}")
    household = Household(**fields)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def aid_request_register(
    *, actor, household: Household, channel: str, needs: list[str], description: str = "", received_at=None
) -> AidRequest:
    """Record a request, give it its reference number and tell the requester it arrived."""
    unknown = [need for need in needs if need not in Need.values]
    if not needs or unknown:
        raise ValidationError({"needs": _("Choose at least one need among food, hygiene, medication and other.")})
    request = AidRequest(
        household=household,
        channel=channel,
        needs=list(needs),
        description=description,
        received_at=received_at or timezone.now(),
        registered_by=actor,
    )
    request.full_clean(exclude=["reference"])
    request.save()
    # The reference is built from the primary key, so it is unique and needs no counter table.
    request.reference = f"R-{timezone.localtime(request.received_at).year}-{request.pk:06d}"
    request.save(update_fields=["reference"])
    notification_create(request=request, event=Notification.Event.RECEIVED)
    return request


def _ensure_undecided(request: AidRequest) -> None:
    if request.status != AidRequest.Status.IN_ASSESSMENT:
        raise ValidationError(
            _("Request %(reference)s was already decided (%(status)s); nothing was changed.")
            % {"reference": request.reference, "status": request.get_status_display()}
        )


@transaction.atomic
def aid_request_approve(
    *,
    actor,
    request: AidRequest,
    packs: list[tuple[Pack, int]],
    priority: int,
    first_delivery_on: dt.date,
    notes: str = "",
    repeat_every_days: int | None = None,
    repeat_until: dt.date | None = None,
) -> AidPlan:
    """Approve with an aid plan, create its delivery order and reserve the stock for it.

    A recurring plan (`repeat_every_days`) gets its later orders from `orders_create_recurring`, day by day."""
    request = AidRequest.objects.select_for_update().get(pk=request.pk)
    _ensure_undecided(request)
    packs = [(pack, quantity) for pack, quantity in packs if quantity]
    if not packs:
        raise ValidationError(_("An approval needs at least one pack; nothing was saved."))
    if any(quantity < 0 for _pack, quantity in packs):
        raise ValidationError(_("Pack quantities cannot be negative; nothing was saved."))
    if first_delivery_on < timezone.localdate():
        raise ValidationError(_("The first delivery cannot be in the past; nothing was saved."))
    if repeat_every_days is not None and not 1 <= repeat_every_days <= 90:
        raise ValidationError(
            {"repeat_every_days": _("Repeat every 1 to 90 days, or leave it empty for a single delivery.")}
        )
    if repeat_until is not None and (repeat_every_days is None or repeat_until < first_delivery_on):
        raise ValidationError(
            {"repeat_until": _("“Repeat until” needs a repetition and a date after the first delivery.")}
        )

    plan = AidPlan.objects.create(
        request=request,
        priority=priority,
        first_delivery_on=first_delivery_on,
        repeat_every_days=repeat_every_days,
        repeat_until=repeat_until,
        notes=notes,
    )
    AidPlanLine.objects.bulk_create(AidPlanLine(plan=plan, pack=pack, quantity=quantity) for pack, quantity in packs)
    request.status = AidRequest.Status.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])

    from logistics.services import order_create_for_plan

    order_create_for_plan(plan=plan)
    notification_create(request=request, event=Notification.Event.APPROVED)
    return plan


@transaction.atomic
def aid_request_reject(*, actor, request: AidRequest, reason: str) -> AidRequest:
    """Reject with a reason the requester will be told."""
    request = AidRequest.objects.select_for_update().get(pk=request.pk)
    _ensure_undecided(request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A rejection needs a reason; nothing was saved."))
    request.status = AidRequest.Status.REJECTED
    request.rejection_reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    notification_create(request=request, event=Notification.Event.REJECTED, reason=reason)
    return request
