"""The conversation with a household: what it wrote through a gateway, what staff answered, and one-word replies.

A household's conversation is the messages of all its requests. Staff answer in free text from the household's
page; the answer goes out as a Notification, through the same backends and honouring the same opt-out as every
other message. A reply of one word acts by itself: BAJA/STOP stops every message to that address and ALTA/START
lets them through again (here); SÍ and NO confirm or move the household's next delivery (delivery.replies, which
registers itself below because orders live in the layers above intake). Anything else lands, unread, in the
conversations inbox of the household's zone."""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_intake.models import (
    AidRequest,
    Channel,
    Household,
    KeywordAction,
    MessageOptOut,
    Notification,
    RequestMessage,
)
from requests_intake.notifications import notification_create
from requests_intake.zone_access import in_zones, zone_open_to

REPLY_PERMISSION = "requests_intake.add_requestmessage"
READ_PERMISSION = "requests_intake.view_requestmessage"
# Long enough for a paragraph, short enough for a handful of SMS.
REPLY_MAX_LENGTH = 1000
# The channels a staff reply may go by: those a backend sends through.
REPLY_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)

CONFIRM, DECLINE, OPT_OUT, OPT_IN = "confirm", "decline", "opt_out", "opt_in"
# The whole message, accents, case and punctuation aside: "Sí." and "si" confirm, "no tengo comida" is a message.
KEYWORDS = {
    "SI": CONFIRM,
    "YES": CONFIRM,
    "CONFIRMO": CONFIRM,
    "NO": DECLINE,
    "NO ESTARE": DECLINE,
    "BAJA": OPT_OUT,
    "STOP": OPT_OUT,
    "ALTA": OPT_IN,
    "START": OPT_IN,
}


def keyword_of(body: str) -> str:
    """The keyword a message is, or "" when it says more than one of them."""
    plain = unicodedata.normalize("NFKD", body or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    plain = " ".join(re.sub(r"[^\w\s]", " ", plain).split())
    return KEYWORDS.get(plain, "")


def _at_contact(contact: str, prefix: str = "") -> Q:
    if "@" in contact:
        return Q(**{f"{prefix}email__iexact": contact})
    return Q(**{f"{prefix}phone": contact})


def latest_request_for_contact(contact: str) -> AidRequest | None:
    """The latest request, open or not, written from this address or of a household reached at it."""
    matches = Q(contact__iexact=contact) | (
        _at_contact(contact, prefix="household__") & Q(household__merged_into__isnull=True)
    )
    return AidRequest.objects.filter(matches).order_by("-received_at", "-pk").first()


# --- One-word replies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderReplies:
    """What delivery lends intake for SÍ and NO: the request of the sender's next delivery (None: no delivery
    to answer about, and the word is an ordinary message), and the act, which returns a KeywordAction."""

    request_for: Callable[[str], AidRequest | None]
    act: Callable[..., str]


_order_replies: OrderReplies | None = None


def order_replies_register(replies: OrderReplies) -> None:
    """Called once by DeliveryConfig.ready(): intake may not import the orders it would act on."""
    global _order_replies
    _order_replies = replies


def _store(*, request: AidRequest, channel: str, contact: str, body: str, external_id: str) -> RequestMessage:
    # Stored before acting: the gateway's id is unique, so a retry racing this one fails here and acts never.
    return RequestMessage.objects.create(
        request=request,
        direction=RequestMessage.Direction.INBOUND,
        channel=channel,
        sender=contact,
        body=body,
        external_id=external_id,
    )


def _acted(message: RequestMessage, action: str, *, handled: bool = True) -> RequestMessage:
    message.action = action
    # Done by itself: nobody has to read it. One a person must act on stays unread in the zone's inbox.
    message.read_at = timezone.now() if handled else None
    message.save(update_fields=["action", "read_at"])
    return message


def contact_opt_out(*, contact: str, channel: str, message: RequestMessage | None = None) -> MessageOptOut:
    """Stop every message to this address; asking twice keeps the first date."""
    opt_out, _created = MessageOptOut.objects.get_or_create(
        contact=contact, defaults={"channel": channel, "opted_out_at": timezone.now(), "message": message}
    )
    return opt_out


def contact_opt_in(*, contact: str) -> bool:
    """Let messages reach this address again; False when it had not opted out."""
    deleted, _rows = MessageOptOut.objects.filter(contact__iexact=contact).delete()
    return bool(deleted)


def keyword_receive(
    *, channel: str, contact: str, body: str, external_id: str
) -> tuple[AidRequest | None, RequestMessage | None, str] | None:
    """Act on a one-word reply and store it: (request, message, KeywordAction), or None when the message is not
    one (or is SÍ/NO with no delivery to answer about) and goes the ordinary way. Runs inside the caller's
    transaction, which has already checked the gateway's id is new."""
    keyword = keyword_of(body)
    if keyword in (OPT_OUT, OPT_IN):
        request = latest_request_for_contact(contact)
        message = None
        if request is not None:
            message = _store(request=request, channel=channel, contact=contact, body=body, external_id=external_id)
        if keyword == OPT_OUT:
            contact_opt_out(contact=contact, channel=channel, message=message)
            action = KeywordAction.OPTED_OUT
        else:
            contact_opt_in(contact=contact)
            action = KeywordAction.OPTED_IN
        if message is not None:
            _acted(message, action)
        return request, message, action
    if keyword in (CONFIRM, DECLINE) and _order_replies is not None:
        request = _order_replies.request_for(contact)
        if request is None:
            return None
        message = _store(request=request, channel=channel, contact=contact, body=body, external_id=external_id)
        action = _order_replies.act(contact=contact, confirm=keyword == CONFIRM, channel=channel)
        _acted(message, action, handled=action != KeywordAction.MOVE_ASKED)
        return request, message, action
    return None


# --- Staff replies ----------------------------------------------------------------------------------------------


def conversation_messages(household: Household) -> QuerySet[RequestMessage]:
    """Every message of the household's requests, oldest first, with who wrote and how it was sent."""
    return (
        RequestMessage.objects.filter(request__household=household)
        .select_related("request", "author", "notification")
        .order_by("created_at", "pk")
    )


def _last_written(household: Household) -> RequestMessage | None:
    """The person's latest message through a gateway: a reply answers it, on its request and by its channel."""
    return (
        RequestMessage.objects.filter(
            request__household=household, direction=RequestMessage.Direction.INBOUND, channel__in=REPLY_CHANNELS
        )
        .exclude(sender="")
        .select_related("request")
        .order_by("-created_at", "-pk")
        .first()
    )


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"body": ValidationError(message, code=code)})


@transaction.atomic
def conversation_reply(*, actor, household: Household, body: str) -> RequestMessage:
    """Send the household a reply in free text and keep it in its conversation; its inbound messages are read.

    Refused with a code, and nothing stored or sent, for someone who may not write to this household, an empty or
    over-long text, a household with no request, or an address that answered BAJA."""
    if not actor.has_perm(REPLY_PERMISSION) or not zone_open_to(actor, household.zone_id):
        raise ValidationError(_("You may not write to this household; nothing was sent."), code="reply_not_allowed")
    body = (body or "").strip()
    if not body:
        raise _refuse(_("Write the reply; nothing was sent."), "reply_empty")
    if len(body) > REPLY_MAX_LENGTH:
        raise _refuse(
            _("A reply is at most %(limit)s characters; nothing was sent.") % {"limit": REPLY_MAX_LENGTH},
            "reply_too_long",
        )
    last = _last_written(household)
    # Without a message to answer, the reply goes where the household's messages go, about its latest request.
    request = last.request if last is not None else household.requests.order_by("-received_at", "-pk").first()
    if request is None:
        raise _refuse(_("This household has no request to write about; nothing was sent."), "reply_no_request")
    address = (last.channel, last.sender) if last is not None else None
    notification = notification_create(
        request=request, event=Notification.Event.REPLY, address=address, refuse_opted_out=True, text=body
    )
    message = RequestMessage.objects.create(
        request=request,
        direction=RequestMessage.Direction.OUTBOUND,
        channel=notification.channel,
        sender=notification.recipient,
        body=body,
        author=actor,
        notification=notification,
    )
    conversation_mark_read(household=household)
    return message


def conversation_mark_read(*, household: Household) -> int:
    """Mark the household's unread inbound messages read (one mark for all staff); how many were unread."""
    return _unread().filter(request__household=household).update(read_at=timezone.now())


def _unread() -> QuerySet[RequestMessage]:
    return RequestMessage.objects.filter(direction=RequestMessage.Direction.INBOUND, read_at__isnull=True)


def unread_count(user, household: Household) -> int:
    return _unread().filter(request__household=household).count() if user.has_perm(READ_PERMISSION) else 0


@dataclass(frozen=True)
class UnreadConversation:
    household_id: int
    name: str
    zone: str
    unread: int
    waiting_since: dt.datetime  # the oldest unread message's time


def unread_conversations(user) -> list[UnreadConversation]:
    """Households of the user's zones with unread messages, the longest waiting first."""
    if not user.has_perm(READ_PERMISSION):
        return []
    rows = (
        in_zones(_unread(), user, field="request__household__zone")
        .order_by()
        .values(
            "request__household",
            "request__household__given_name",
            "request__household__family_name",
            "request__household__zone__name",
        )
        .annotate(unread=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest", "request__household")
    )
    return [
        UnreadConversation(
            household_id=row["request__household"],
            name=f"{row['request__household__given_name']} {row['request__household__family_name']}".strip(),
            zone=row["request__household__zone__name"] or "",
            unread=row["unread"],
            waiting_since=row["oldest"],
        )
        for row in rows
    ]


def household_opt_outs(household: Household) -> list[MessageOptOut]:
    """The household's addresses that answered BAJA: staff see why nothing reaches them."""
    addresses = [a for a in (household.phone, household.email) if a]
    if not addresses:
        return []
    matches = Q()
    for address in addresses:
        matches |= Q(contact__iexact=address)
    return list(MessageOptOut.objects.filter(matches).order_by("opted_out_at"))


# --- Delivery receipts -------------------------------------------------------------------------------------------

# A later receipt only ever says more: "read" after "delivered" is kept, a late "delivered" after "read" is not.
_RECEIPT_RANK = {
    "": 0,
    Notification.Receipt.UNDELIVERED: 1,
    Notification.Receipt.DELIVERED: 2,
    Notification.Receipt.READ: 3,
}


@transaction.atomic
def notification_receipt_record(*, provider_id: str, receipt: str, at: dt.datetime | None = None) -> Notification:
    """Record the provider's delivery receipt on the message it sent; a repeated or older receipt changes nothing."""
    if receipt not in Notification.Receipt.values:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("“%(value)s” is not a receipt; use delivered, read or undelivered.") % {"value": receipt},
                    code="receipt_invalid",
                )
            }
        )
    notification = (
        Notification.objects.select_for_update().filter(provider_id=provider_id).exclude(provider_id="").first()
    )
    if notification is None:
        raise ValidationError(
            {
                "provider_id": ValidationError(
                    _("No message was sent with the id “%(value)s”.") % {"value": provider_id},
                    code="receipt_unknown_message",
                )
            }
        )
    if _RECEIPT_RANK[receipt] > _RECEIPT_RANK[notification.receipt]:
        notification.receipt, notification.receipt_at = receipt, at or timezone.now()
        notification.save(update_fields=["receipt", "receipt_at"])
    return notification
