"""Intake: registering households and requests (decisions are in `decisions.py`)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import emit
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import AidRequest, Channel, Household, Need, Notification, Priority, RequestMessage
from requests_intake.notifications import notification_create
from requests_intake.zoning import zone_for
from routing.geocoding import address_locate


@transaction.atomic
def household_create(*, actor, **fields) -> Household:
    """Register a household with a checked document and phone; zone and, if not given, point follow from the address."""
    fields["document_number"] = document_normalise(fields["document_type"], fields.get("document_number", ""))
    fields["phone"] = phone_normalise(fields.get("phone", ""))
    if fields.get("latitude") is None and fields.get("longitude") is None:
        point = address_locate(
            address=fields.get("address", ""),
            postcode=fields.get("postcode", ""),
            municipality=fields.get("municipality", ""),
        )
        if point is not None:
            fields["latitude"] = Decimal(f"{point.latitude:.6f}")
            fields["longitude"] = Decimal(f"{point.longitude:.6f}")
    if fields.get("zone") is None:
        fields["zone"] = zone_for(
            postcode=fields.get("postcode", ""), latitude=fields.get("latitude"), longitude=fields.get("longitude")
        )
    household = Household(**fields)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def aid_request_register(
    *,
    actor,
    household: Household,
    channel: str,
    needs: list[str],
    description: str = "",
    received_at=None,
    priority: int = Priority.NORMAL,
    referral_source: str = "",
    contact: str = "",
    preferred_channel: str = "",
    language: str = "",
    answer: str = "",
    topic: str = "",
) -> AidRequest:
    """Record a request, give it its reference number and tell the requester it arrived.

    With an `answer`, the call was information only: it is answered and closed at intake, never assessed, and its
    `topic` (AidRequest.Topic) is required: the first level is judged on what it resolves."""
    unknown = [need for need in needs if need not in Need.values]
    if not needs or unknown:
        raise ValidationError(
            {
                "needs": ValidationError(
                    _("Choose at least one need among food, hygiene, medication and other."), code="needs_missing"
                )
            }
        )
    if channel == Channel.REFERRAL and not referral_source:
        raise ValidationError(
            {"referral_source": ValidationError(_("Say who referred the household."), code="referral_source_missing")}
        )
    if channel != Channel.REFERRAL and referral_source:
        raise ValidationError(
            {
                "referral_source": ValidationError(
                    _("Only a referral has a referring body."), code="referral_source_not_referral"
                )
            }
        )
    request = AidRequest(
        household=household,
        channel=channel,
        referral_source=referral_source,
        contact=contact or household.phone or household.email,
        preferred_channel=preferred_channel,
        language=language or household.language,
        needs=list(needs),
        description=description,
        priority=priority,
        zone=household.zone,
        received_at=received_at or timezone.now(),
        registered_by=actor,
    )
    answer = answer.strip()
    if answer and topic not in AidRequest.Topic.values:
        raise ValidationError(
            {"topic": ValidationError(_("Choose the topic of the answer given."), code="topic_missing")}
        )
    if answer:
        request.first_level_topic = topic
        request.status = AidRequest.Status.INFO_ONLY
        request.decided_by = actor
        request.decided_at = timezone.now()
    request.full_clean(exclude=["reference"])
    request.save()
    # The reference is built from the primary key, so it is unique and needs no counter table.
    request.reference = f"R-{timezone.localtime(request.received_at).year}-{request.pk:06d}"
    request.save(update_fields=["reference"])
    if answer:
        RequestMessage.objects.create(
            request=request, direction=RequestMessage.Direction.OUTBOUND, channel=channel, body=answer
        )
    else:
        notification_create(request=request, event=Notification.Event.RECEIVED)
    emit("request.received", {"request": request.pk, "reference": request.reference, "status": request.status})
    return request
