"""Messages that arrive through a gateway (WhatsApp, SMS, e-mail, web chat) join the one intake queue.

A message from someone with an open request is added to it; otherwise it starts a request for their household,
or for a provisional household that intake completes later."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from requests_intake.conversations import keyword_receive
from requests_intake.documents import phone_normalise
from requests_intake.models import AidRequest, Channel, DocumentType, Household, Need, RequestMessage
from requests_intake.services import aid_request_register, household_create

GATEWAY_CHANNELS = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL, Channel.WEB_CHAT)
# What gateways put in front of an address: Twilio's "whatsapp:+34…", "tel:", "mailto:".
_ADDRESS_PREFIXES = ("whatsapp:", "sms:", "tel:", "mailto:")
CONTACT_LENGTH = AidRequest._meta.get_field("contact").max_length
EXTERNAL_ID_LENGTH = RequestMessage._meta.get_field("external_id").max_length


@dataclass(frozen=True)
class Receipt:
    """What became of an inbound message: the request it belongs to, and whether it started that request."""

    request: AidRequest | None  # None only for BAJA/ALTA from an address no request is known by
    message: RequestMessage | None
    created: bool
    replayed: bool = False
    action: str = ""  # what a one-word reply did by itself (KeywordAction), "" for an ordinary message


def contact_normalise(raw: str, *, channel: str = "") -> str:
    """A phone in E.164 form or a lower-case e-mail address; anything else is refused with the reason."""
    value = (raw or "").strip()
    for prefix in _ADDRESS_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
    if not value:
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("Give the requester's phone number or e-mail address."), code="contact_missing"
                )
            }
        )
    if len(value) > CONTACT_LENGTH:
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("A contact is at most %(limit)s characters.") % {"limit": CONTACT_LENGTH}, code="contact_too_long"
                )
            }
        )
    if "@" in value:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "contact": ValidationError(
                        _("“%(value)s” is not an e-mail address.") % {"value": raw}, code="contact_bad_email"
                    )
                }
            ) from exc
        if channel in (Channel.SMS, Channel.WHATSAPP):
            raise ValidationError(
                {
                    "contact": ValidationError(
                        _("A message by %(channel)s comes from a phone number, not “%(value)s”.")
                        % {"channel": Channel(channel).label, "value": raw},
                        code="contact_not_phone",
                    )
                }
            )
        return value
    if channel == Channel.EMAIL:
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("An e-mail comes from an e-mail address, not “%(value)s”.") % {"value": raw},
                    code="contact_not_email",
                )
            }
        )
    try:
        return phone_normalise(value)
    except ValidationError as exc:
        # WhatsApp gateways send international numbers without the "+": 34600111222.
        if value.isdigit() and len(value) > 9:
            try:
                return phone_normalise(f"+{value}")
            except ValidationError:
                pass
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("“%(value)s” is neither a phone number nor an e-mail address.") % {"value": raw},
                    code="contact_unrecognised",
                )
            }
        ) from exc


def language_code(raw: str) -> str:
    """A language the product speaks ("en-GB" → "en"), or "" when it speaks no such language."""
    code = (raw or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in dict(settings.REQUESTER_LANGUAGES) else ""


def _contact_matches(contact: str, prefix: str = "") -> Q:
    if "@" in contact:
        return Q(**{f"{prefix}email__iexact": contact})
    return Q(**{f"{prefix}phone": contact})


def household_for_contact(contact: str) -> Household | None:
    """The household reached at this phone or e-mail; the oldest one when a family shares a number."""
    households = Household.objects.filter(merged_into__isnull=True)
    return households.filter(_contact_matches(contact)).order_by("pk").first()


def open_request_for_contact(contact: str) -> AidRequest | None:
    """The latest open request written from this contact, or made for a household reached at it."""
    matches = Q(contact=contact) | _contact_matches(contact, prefix="household__")
    requests = AidRequest.objects.select_for_update(of=("self",)).filter(matches, status__in=AidRequest.OPEN_STATUSES)
    return requests.order_by("-received_at", "-pk").first()


def _provisional_household(*, contact: str, name: str, language: str) -> Household:
    # Only what the message tells; intake completes the record (document, address) when it calls back.
    given, _space, family = " ".join(name.split()).partition(" ")
    return household_create(
        actor=None,
        given_name=(given or contact)[:100],
        family_name=(family or "-")[:150],
        document_type=DocumentType.NONE,
        phone="" if "@" in contact else contact,
        email=contact if "@" in contact else "",
        language=language or settings.LANGUAGE_CODE,
    )


def _replay(external_id: str, *, channel: str, contact: str) -> Receipt | None:
    message = RequestMessage.objects.select_related("request").filter(external_id=external_id).first()
    if message is None:
        return None
    if (message.channel, message.sender) != (channel, contact):
        # Another sender's message id: answering with that request would tell this caller about someone else.
        raise ValidationError(
            {
                "external_id": ValidationError(
                    _("That message id was already used for another sender."), code="external_id_taken"
                )
            }
        )
    request = message.request
    first = request.messages.order_by("created_at", "pk").first()
    # It started the request when it is the request's first message and no person registered the request.
    created = first == message and request.registered_by_id is None and request.channel == message.channel
    return Receipt(request=request, message=message, created=created, replayed=True, action=message.action)


@transaction.atomic
def _receive(*, channel: str, contact: str, body: str, external_id: str, name: str, language: str) -> Receipt:
    answered = keyword_receive(channel=channel, contact=contact, body=body, external_id=external_id)
    if answered is not None:
        request, message, action = answered
        return Receipt(request=request, message=message, created=False, action=action)
    request = open_request_for_contact(contact)
    created = request is None
    if created:
        household = household_for_contact(contact) or _provisional_household(
            contact=contact, name=name, language=language
        )
        request = aid_request_register(
            actor=None,
            household=household,
            channel=channel,
            needs=[Need.OTHER],
            description=body,
            contact=contact,
            preferred_channel=channel,
            language=language,
        )
    elif request.status == AidRequest.Status.MORE_INFO:
        # The requester answered: the request goes back to the social worker.
        request.status = AidRequest.Status.IN_ASSESSMENT
        request.save(update_fields=["status"])
    message = RequestMessage.objects.create(
        request=request,
        direction=RequestMessage.Direction.INBOUND,
        channel=channel,
        sender=contact,
        body=body,
        external_id=external_id,
    )
    return Receipt(request=request, message=message, created=created)


def message_receive(
    *, channel: str, contact: str, body: str, external_id: str, name: str = "", language: str = ""
) -> Receipt:
    """Add a gateway's message to the sender's open request, or start a request with it.

    The same external_id twice gives the first receipt back and stores nothing (gateways retry)."""
    errors = {}
    if channel not in GATEWAY_CHANNELS:
        errors["channel"] = ValidationError(
            _("“%(value)s” is not a gateway channel; use whatsapp, sms, email or web_chat.") % {"value": channel},
            code="channel_not_gateway",
        )
    body = (body or "").strip()
    if not body:
        errors["body"] = ValidationError(_("The message is empty; nothing was stored."), code="body_missing")
    external_id = (external_id or "").strip()
    if not external_id:
        errors["external_id"] = ValidationError(
            _("Give the gateway's id for the message, so a retried call is not stored twice."),
            code="external_id_missing",
        )
    elif len(external_id) > EXTERNAL_ID_LENGTH:
        errors["external_id"] = ValidationError(
            _("A message id is at most %(limit)s characters.") % {"limit": EXTERNAL_ID_LENGTH},
            code="external_id_too_long",
        )
    try:
        contact = contact_normalise(contact, channel=channel if "channel" not in errors else "")
    except ValidationError as exc:
        errors.update(exc.error_dict)  # error_dict, not message_dict: the codes travel with the messages
    if errors:
        raise ValidationError(errors)

    replay = _replay(external_id, channel=channel, contact=contact)
    if replay is not None:
        return replay
    try:
        return _receive(
            channel=channel,
            contact=contact,
            body=body,
            external_id=external_id,
            name=(name or "").strip(),
            language=language_code(language),
        )
    except IntegrityError:
        # The same message arrived twice at once; the other call stored it.
        replay = _replay(external_id, channel=channel, contact=contact)
        if replay is None:
            raise
        return replay
