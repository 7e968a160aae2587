"""Telling the requester what happened.

A message is composed from a template in the requester's language, stored, and sent by a backend in a Celery
task once the transaction commits. A message that cannot be sent stays, with its error, so none is lost."""

import datetime as dt
import logging
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import QuerySet
from django.template import Context, Engine, Template, TemplateDoesNotExist
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from requests_intake.models import AidRequest, Channel, MessageOptOut, Notification
from requests_intake.providers import HttpProvider, ProviderError, ProviderRejected
from requests_intake.status_links import status_link_for, status_link_url

logger = logging.getLogger(__name__)

# The variant template each channel prefers over the plain `<event>.txt`.
TEMPLATE_VARIANT = {Channel.SMS: "sms", Channel.EMAIL: "email"}
# Spanish, not the site's default: every service speaks it, and it is what the record says the message fell back to.
FALLBACK_LANGUAGE = "es"
LAST_ERROR_LENGTH = Notification._meta.get_field("last_error").max_length


class LoggingBackend:
    """The default channel: the stored message is the record, and the log line shows it was sent."""

    def send(self, notification: Notification) -> str:
        logger.info(
            "notification %s to %s via %s: %s",
            notification.pk,
            notification.recipient or "-",
            notification.channel,
            notification.body,
        )
        return ""


class ChannelBackend:
    """Each message by its own channel: e-mail through Django's mail, SMS and WhatsApp through HTTP providers."""

    def send(self, notification: Notification) -> str:
        if not notification.recipient:
            raise ProviderRejected("the requester has no phone or e-mail to send this to")
        if notification.channel == Channel.EMAIL:
            return _email_send(notification)
        return _provider_for(notification.channel).send(
            to=notification.recipient, body=notification.body, channel=notification.channel
        )


def _provider_for(channel: str) -> HttpProvider:
    configured = {
        Channel.SMS: ("SMS", settings.SMS_PROVIDER_URL, settings.SMS_PROVIDER_TOKEN),
        Channel.WHATSAPP: ("WHATSAPP", settings.WHATSAPP_PROVIDER_URL, settings.WHATSAPP_PROVIDER_TOKEN),
    }
    if channel not in configured:
        raise ProviderRejected(f"there is no way to send messages by {channel}")
    name, url, token = configured[channel]
    if not url:
        raise ProviderRejected(f"no {channel} provider is configured: set {name}_PROVIDER_URL")
    return HttpProvider(url, token, timeout=settings.NOTIFICATION_PROVIDER_TIMEOUT_S)


def email_parts(text: str) -> tuple[str, str]:
    """An e-mail is stored as its subject line, a blank line and the body."""
    subject, _newline, body = text.partition("\n")
    return subject.strip(), body.strip()


def _email_send(notification: Notification) -> str:
    subject, body = email_parts(notification.body)
    message_id = make_msgid(domain=DNS_NAME)
    message = EmailMessage(subject, body, to=[notification.recipient], headers={"Message-ID": message_id})
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise ProviderRejected(f"the mail server refused the address: {exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        # 5xx is the server's final word; 4xx means "later".
        failure = ProviderRejected if exc.smtp_code >= 500 else ProviderError
        raise failure(f"the mail server answered {exc.smtp_code}: {exc.smtp_error!r}") from exc
    except OSError as exc:  # SMTPException, refused or timed-out connections
        raise ProviderError(f"the mail server could not be reached: {exc}") from exc
    return message_id


def notification_address(request: AidRequest) -> tuple[str, str]:
    """Where a message goes: the preferred channel, else the one the request came by, else SMS to the phone."""
    household = request.household
    phone = request.contact if request.contact.startswith("+") else household.phone
    email = request.contact if "@" in request.contact else household.email
    addresses = {Channel.SMS: phone, Channel.WHATSAPP: phone, Channel.EMAIL: email}
    for channel in (request.preferred_channel, request.channel):
        if addresses.get(channel):
            return channel, addresses[channel]
    if phone:
        return Channel.SMS, phone
    if email:
        return Channel.EMAIL, email
    # Nobody to write to: the message is still stored, and sending it fails with a reason a person can act on.
    return request.preferred_channel or request.channel, ""


def message_language(language: str, event: str) -> str:
    """The language the message for this event can be written in: the interface's languages through gettext,
    another requester language where it has a template for the event, else Spanish."""
    if not language:
        return settings.LANGUAGE_CODE
    if language in dict(settings.LANGUAGES):
        return language
    if language in dict(settings.REQUESTER_LANGUAGES) and _requester_template(language, event):
        return language
    return FALLBACK_LANGUAGE


def _requester_template(language: str, name: str) -> Template | None:
    try:
        return Engine.get_default().get_template(f"notifications/{language}/{name}.txt")
    except TemplateDoesNotExist:
        return None


def notification_compose(*, request: AidRequest, event: str, channel: str, language: str, **context) -> str:
    """The text the requester will read, from `notifications/<event>[.sms|.email].txt` in their language, or from
    `notifications/<language>/<event>.txt` for a requester language the interface does not speak."""
    values = {"request": request, "household": request.household, "reference": request.reference, **context}
    if language not in dict(settings.LANGUAGES):
        template = _requester_template(language, event)
        if template is not None:
            # These texts are written whole in their language; gettext has no catalogue for it, so the
            # interface's language stays active for anything a template might still translate.
            text = template.render(Context(values, autoescape=False)).strip()
            if channel == Channel.EMAIL:
                text = f"{request.reference}\n\n{text}"
            return text
        language = FALLBACK_LANGUAGE
    names = [f"notifications/{event}.txt"]
    if channel in TEMPLATE_VARIANT:
        names.insert(0, f"notifications/{event}.{TEMPLATE_VARIANT[channel]}.txt")
    template = Engine.get_default().select_template(names)
    with translation.override(language):
        # Plain text: HTML escaping would turn a reason like "ingresos > umbral" into "&gt;".
        text = template.render(Context(values, autoescape=False)).strip()
        if channel == Channel.EMAIL and template.origin.template_name != names[0]:
            text = f"{Notification.Event(event).label} · {request.reference}\n\n{text}"
    return text


def status_link_line(request: AidRequest, *, language: str) -> str:
    """The last line of every message: where the person sees their request, their next delivery and can answer."""
    url = status_link_url(status_link_for(request))
    if language not in dict(settings.LANGUAGES):
        template = _requester_template(language, "status_link")
        if template is not None:
            return template.render(Context({"url": url}, autoescape=False)).strip()
        language = FALLBACK_LANGUAGE
    with translation.override(language):
        return _("Your request and next delivery: %(url)s") % {"url": url}


def address_opted_out(recipient: str) -> bool:
    """Whether the address answered BAJA/STOP (requests_intake.conversations): nothing may be sent to it."""
    return bool(recipient) and MessageOptOut.objects.filter(contact__iexact=recipient).exists()


def _queue(notification_id: int) -> None:
    from requests_intake.tasks import notification_send

    transaction.on_commit(lambda: notification_send.delay(notification_id), robust=True)


def notification_create(
    *,
    request: AidRequest,
    event: str,
    address: tuple[str, str] | None = None,
    refuse_opted_out: bool = False,
    **context,
) -> Notification:
    """Store the message in the requester's language and send it once the transaction commits.

    `address` (channel, recipient) overrides where it goes (a reply goes where the person wrote from). An address
    that opted out gets nothing: the message is stored as not sent, or, with `refuse_opted_out`, refused."""
    channel, recipient = address or notification_address(request)
    opted_out = address_opted_out(recipient)
    if opted_out and refuse_opted_out:
        raise ValidationError(
            _("%(address)s asked to receive no more messages (BAJA); nothing was sent.") % {"address": recipient},
            code="contact_opted_out",
        )
    wanted = request.language or request.household.language
    # A language with no text for this event: the message goes out in Spanish, and the record says so.
    language = message_language(wanted, event)
    body = notification_compose(request=request, event=event, channel=channel, language=language, **context)
    notification = Notification.objects.create(
        request=request,
        event=event,
        channel=channel,
        recipient=recipient,
        language=language,
        fallback_from=wanted if language != wanted else "",
        body=f"{body}\n\n{status_link_line(request, language=language)}",
    )
    if opted_out:
        notification.status = Notification.Status.OPTED_OUT
        notification.save(update_fields=["status"])
        return notification
    _queue(notification.pk)
    return notification


def notification_deliver(*, notification_id: int, last_attempt: bool = False) -> Notification:
    """Send a stored message through the configured backend, recording each attempt; sending twice is a no-op.

    A temporary failure is recorded and raised (as ProviderError) for the task to retry, unless this is the last
    attempt: then, like a permanent failure, it leaves the message FAILED for a person to resend."""
    failure = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != Notification.Status.PENDING:
            return notification
        if address_opted_out(notification.recipient):
            # The person answered BAJA after the message was stored: it is never sent, whoever queued it.
            notification.status = Notification.Status.OPTED_OUT
            notification.save(update_fields=["status"])
            return notification
        notification.attempts += 1
        fields = ["attempts", "status", "last_error"]
        try:
            provider_id = import_string(settings.NOTIFICATION_BACKEND)().send(notification)
        except ProviderRejected as exc:
            notification.status = Notification.Status.FAILED
            notification.last_error = str(exc)[:LAST_ERROR_LENGTH]
        except ProviderError as exc:
            notification.last_error = str(exc)[:LAST_ERROR_LENGTH]
            if last_attempt:
                notification.status = Notification.Status.FAILED
            else:
                failure = exc
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.provider_id = provider_id or ""
            fields += ["sent_at", "provider_id"]
        notification.save(update_fields=fields)
    if notification.status == Notification.Status.FAILED:
        logger.warning(
            "notification %s failed after %s attempts: %s",
            notification.pk,
            notification.attempts,
            notification.last_error,
        )
    if failure is not None:
        raise failure
    return notification


def notifications_resend(*, notifications: QuerySet[Notification]) -> int:
    """Put failed messages back in the queue and send them again; the others are left alone. Returns how many."""
    with transaction.atomic():
        ids = list(
            notifications.select_for_update()
            .filter(status=Notification.Status.FAILED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(status=Notification.Status.PENDING)
        for notification_id in ids:
            _queue(notification_id)
    return len(ids)


def notifications_resume(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Queue again the messages stored while the broker was down: still pending, never tried, a few minutes old.
    Beat calls it every five minutes. Sending twice is safe: delivery locks the row and leaves a sent message be."""
    from requests_intake.tasks import notification_send

    stuck = Notification.objects.filter(
        status=Notification.Status.PENDING, attempts=0, created_at__lt=timezone.now() - older_than
    ).order_by("pk")
    ids = list(stuck.values_list("pk", flat=True))
    for notification_id in ids:
        notification_send.delay(notification_id)
    return len(ids)
