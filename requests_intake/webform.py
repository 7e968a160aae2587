"""Requests from the public web form: a household found by its phone or registered, a request in the queue.

The form is open to anyone, so each client address may send only WEBFORM_RATE_PER_HOUR of them an hour."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_intake.channels import household_for_contact
from requests_intake.documents import phone_normalise
from requests_intake.models import AidRequest, Channel, ConsentScope, DocumentType
from requests_intake.services import aid_request_register, household_create

RATE_WINDOW_S = 3600


def _rate_key(client: str) -> str:
    return f"webform-rate:{client}"


def webform_rate_exceeded(*, client: str) -> bool:
    """Whether this client has used up its submissions for the hour."""
    return (cache.get(_rate_key(client)) or 0) >= settings.WEBFORM_RATE_PER_HOUR


def webform_rate_take(*, client: str) -> bool:
    """Count one submission; False when it is over the hour's limit (then nothing may be saved)."""
    key = _rate_key(client)
    # add() starts the hour with the first submission; incr() is atomic in the shared cache.
    cache.add(key, 0, timeout=RATE_WINDOW_S)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=RATE_WINDOW_S)
        count = 1
    return count <= settings.WEBFORM_RATE_PER_HOUR


def _unverified_details(
    *, given_name: str, family_name: str, email: str, address: str, postcode: str, municipality: str
) -> str:
    """What the form said about a household we already know, for intake to check by phone.

    Anyone who knows a phone number can send the form, so none of it is written into the record: an address
    typed here could otherwise send someone else's aid to another door."""
    given = [
        (_("Name"), f"{given_name} {family_name}".strip()),
        (_("E-mail"), email),
        (_("Address"), " ".join(part for part in (address, postcode, municipality) if part)),
    ]
    lines = [f"{label}: {value}" for label, value in given if value]
    if not lines:
        return ""
    return "\n".join([_("Given on the web form, not checked yet:"), *lines])


@transaction.atomic
def webform_submit(
    *,
    given_name: str,
    family_name: str,
    phone: str,
    email: str,
    address: str,
    postcode: str,
    municipality: str,
    needs: list[str],
    description: str,
    language: str,
    preferred_channel: str,
) -> AidRequest:
    """Register a web form request (the requester consented today) for the household with this phone, or a new one."""
    phone = phone_normalise(phone)
    if not phone:
        raise ValidationError(
            {"phone": ValidationError(_("Give a phone number so that we can reach you."), code="phone_missing")}
        )
    email = email.strip().lower()
    if preferred_channel not in (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL):
        raise ValidationError(
            {"preferred_channel": ValidationError(_("Choose SMS, WhatsApp or e-mail."), code="bad_preferred_channel")}
        )
    if preferred_channel == Channel.EMAIL and not email:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Give your e-mail address, or choose another way to be told."), code="email_missing"
                )
            }
        )
    if language not in dict(settings.REQUESTER_LANGUAGES):
        raise ValidationError(
            {"language": ValidationError(_("Choose one of the languages offered."), code="bad_language")}
        )

    household = household_for_contact(phone)
    details = ""
    if household is None:
        household = household_create(
            actor=None,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            document_type=DocumentType.NONE,
            phone=phone,
            email=email,
            address=address.strip(),
            postcode=postcode.strip(),
            municipality=municipality.strip(),
            language=language,
            consent_on=timezone.localdate(),
            consent_scope=ConsentScope.SERVICE,
        )
    else:
        details = _unverified_details(
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            email=email,
            address=address.strip(),
            postcode=postcode.strip(),
            municipality=municipality.strip(),
        )
        if preferred_channel == Channel.EMAIL and email != household.email:
            # Replies go only to contacts the record already holds: the phone this form was sent for.
            preferred_channel, email = Channel.SMS, ""
    return aid_request_register(
        actor=None,
        household=household,
        channel=Channel.WEB_FORM,
        needs=needs,
        description="\n\n".join(part for part in (description.strip(), details) if part),
        contact=email if preferred_channel == Channel.EMAIL else phone,
        preferred_channel=preferred_channel,
        language=language,
    )
