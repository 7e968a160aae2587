"""Messages in the requester's language beyond the interface's: Arabic, Romanian, Ukrainian, French and Chinese
have their own texts for every message; an event without one goes out in Spanish and the household's record says so.

Here the services, models and commands, called directly; the pages are tested in test_requester_languages_pages.py."""

import pytest
from django.utils import translation

from requests_intake import notifications
from requests_intake.models import Channel, Notification
from requests_intake.notifications import message_language, notification_create
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.timeline import household_timeline


def _request(language: str, *, channel: str = Channel.WHATSAPP):
    """A request of a household speaking `language`, by WhatsApp (its "received" message already stored)."""
    household = HouseholdFactory(language=language, phone="+34600111222", email="ana@example.org")
    request = aid_request_register(actor=None, household=household, channel=channel, needs=["food"])
    request.contact = "ana@example.org" if channel == Channel.EMAIL else "+34600111222"
    request.save(update_fields=["contact"])
    return request


def _without_text(monkeypatch, language: str, event: str) -> None:
    """Hide one requester template: every requester language now has a text for every message, so a missing one
    can only be staged."""
    lookup = notifications._requester_template

    def hidden(wanted: str, name: str):
        return None if (wanted, name) == (language, event) else lookup(wanted, name)

    monkeypatch.setattr(notifications, "_requester_template", hidden)


def _split(body: str) -> tuple[str, str]:
    """The message and its last line, the status page link."""
    text, _blank, link_line = body.rpartition("\n\n")
    assert "/estado/" in link_line, body
    return text, link_line


@pytest.mark.django_db
def test_a_household_in_arabic_gets_the_scheduled_message_in_arabic_with_its_window():
    request = _request("ar")

    notification = notification_create(
        request=request, event=Notification.Event.SCHEDULED, date="12/05/2026", start="10:00", end="11:00"
    )

    text, link_line = _split(notification.body)
    assert text == (
        f"ستصلكم المساعدة الخاصة بطلبكم {request.reference} يوم 12/05/2026 بين الساعة 10:00 والساعة 11:00. "
        "للتأكيد أرسلوا SÍ، ولتغيير اليوم أرسلوا NO."
    )
    assert link_line.startswith("طلبكم وموعد التسليم القادم: ")
    assert (notification.language, notification.fallback_from) == ("ar", "")


@pytest.mark.django_db
def test_a_household_in_ukrainian_is_told_the_van_is_on_its_way_in_ukrainian():
    request = _request("uk")

    notification = notification_create(request=request, event=Notification.Event.ON_THE_WAY, time="10:40")

    text, link_line = _split(notification.body)
    assert text == (
        f"Доставка за вашою заявкою {request.reference} вже в дорозі й має прибути приблизно о 10:40. "
        "Будь ласка, будьте вдома."
    )
    assert link_line.startswith("Ваша заявка та наступна доставка: ")
    assert notification.language == "uk"


@pytest.mark.django_db
def test_a_household_in_romanian_hears_of_a_failed_delivery_in_romanian():
    request = _request("ro")

    notification = notification_create(request=request, event=Notification.Event.DELIVERY_FAILED, date="14/05/2026")

    text, _link = _split(notification.body)
    assert text == f"Astăzi nu am putut livra {request.reference}. Vom încerca din nou pe 14/05/2026."
    assert notification.language == "ro"


@pytest.mark.django_db
def test_a_household_in_french_hears_of_a_pickup_rescheduled_in_french():
    request = _request("fr")

    notification = notification_create(
        request=request,
        event=Notification.Event.RESCHEDULED,
        date="15/05/2026",
        start="09:00",
        end="12:00",
        pickup=True,
        depot="Almacén Norte",
    )

    text, link_line = _split(notification.body)
    assert text == (
        f"{request.reference} : vous pouvez désormais retirer votre aide à Almacén Norte le 15/05/2026 "
        "entre 09:00 et 12:00."
    )
    assert link_line.startswith("Votre demande et votre prochaine livraison : ")


@pytest.mark.django_db
def test_a_household_in_chinese_gets_the_survey_in_chinese():
    request = _request("zh")

    notification = notification_create(
        request=request, event=Notification.Event.SURVEY, link="https://reparto.example.org/encuesta/abc/"
    )

    text, _link = _split(notification.body)
    assert text == f"您的申请 {request.reference} 的配送情况如何？只需一分钟：https://reparto.example.org/encuesta/abc/"
    assert notification.language == "zh"


@pytest.mark.django_db
def test_an_email_in_a_requester_language_has_the_reference_as_its_subject():
    request = _request("fr", channel=Channel.EMAIL)

    notification = notification_create(request=request, event=Notification.Event.DELIVERED)

    subject, _blank, rest = notification.body.partition("\n\n")
    assert subject == request.reference
    assert _split(rest)[0] == f"La livraison de votre demande {request.reference} vous a été remise. Merci."


@pytest.mark.django_db
def test_an_event_without_a_text_in_the_requesters_language_goes_out_in_spanish_and_is_recorded(monkeypatch):
    request = _request("ar")
    _without_text(monkeypatch, "ar", Notification.Event.APPROVED)

    notification = notification_create(request=request, event=Notification.Event.APPROVED)

    text, link_line = _split(notification.body)
    assert text == f"Su solicitud {request.reference} ha sido aprobada. Le comunicaremos el día de la entrega."
    assert link_line.startswith("Su solicitud y su próxima entrega: ")
    assert (notification.language, notification.fallback_from) == ("es", "ar")


@pytest.mark.django_db
def test_the_households_record_shows_which_message_went_out_in_spanish_instead(monkeypatch):
    _without_text(monkeypatch, "uk", Notification.Event.RECEIVED)
    request = _request("uk")  # registering stores the "received" message, now without a Ukrainian text
    notification_create(request=request, event=Notification.Event.DELIVERED)

    with translation.override("en"):
        events = household_timeline(request.household)

    told = [(e.title, e.detail) for e in events if e.kind == "notification"]
    assert sorted(told) == [
        ("Requester told: Delivered", "WhatsApp · Pending"),
        (
            "Requester told: Request received",
            "WhatsApp · Pending · sent in Spanish: there is no Ukrainian text for this message",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ca", "en"])
def test_messages_in_the_interface_languages_are_never_a_fallback(language):
    request = _request(language)

    notification = notification_create(request=request, event=Notification.Event.APPROVED)

    assert (notification.language, notification.fallback_from) == (language, "")


@pytest.mark.django_db
def test_an_english_scheduled_message_gives_the_window_and_how_to_answer_it():
    request = _request("en")

    notification = notification_create(
        request=request, event=Notification.Event.SCHEDULED, date="12/05/2026", start="10:00", end="11:00"
    )

    assert _split(notification.body) == (
        f"Your delivery for {request.reference} will arrive on 12/05/2026 between 10:00 and 11:00. "
        "Reply YES to confirm or NO to change the day.",
        notification.body.rpartition("\n\n")[2],
    )
    assert notification.body.rpartition("\n\n")[2].startswith("Your request and next delivery: ")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ca", "ar", "fr", "ro", "uk", "zh"])
def test_the_scheduled_message_says_which_words_answer_it_in_every_language(language):
    # The keywords the gateway understands (delivery/replies.py): the Spanish SÍ is what every version asks for.
    notification = notification_create(
        request=_request(language), event=Notification.Event.SCHEDULED, date="12/05/2026", start="10:00", end="11:00"
    )

    first_part = notification.body.partition("\n\n")[0]
    assert "SÍ" in first_part
    assert "NO" in first_part


@pytest.mark.parametrize(
    ("language", "event", "expected"),
    [
        ("ar", "scheduled", "ar"),
        ("zh", "received", "zh"),
        ("de", "scheduled", "es"),  # not a requester language at all
        ("ca", "received", "ca"),
    ],
)
def test_the_message_language_is_the_requesters_where_a_text_exists(language, event, expected):
    assert message_language(language, event) == expected


def test_the_message_language_falls_back_to_spanish_where_the_text_is_missing(monkeypatch):
    _without_text(monkeypatch, "zh", "received")

    assert (message_language("zh", "received"), message_language("zh", "approved")) == ("es", "zh")


def test_without_any_language_the_message_is_in_the_sites_language(settings):
    settings.LANGUAGE_CODE = "ca"

    assert message_language("", "scheduled") == "ca"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "ro", "uk", "fr", "zh"])
@pytest.mark.parametrize("event", Notification.Event.values)
def test_every_message_has_a_text_in_every_requester_language(language, event):
    request = _request(language)

    notification = notification_create(
        request=request,
        event=event,
        date="01/01/2027",
        start="10:00",
        end="11:00",
        time="10:30",
        reason="r",
        depot="D",
        link="L",
    )

    assert (notification.language, notification.fallback_from) == (language, "")
    assert request.reference in notification.body
    assert "{" not in notification.body


@pytest.mark.django_db
def test_a_household_in_arabic_is_told_its_request_was_received_in_arabic():
    request = _request("ar")

    notification = request.notifications.get(event=Notification.Event.RECEIVED)

    text, link_line = _split(notification.body)
    assert text == f"تلقينا طلبكم {request.reference}. سيقوم فريق العمل الاجتماعي بمراجعته."
    assert link_line.startswith("طلبكم وموعد التسليم القادم: ")
    assert (notification.language, notification.fallback_from) == ("ar", "")


@pytest.mark.django_db
def test_a_household_in_romanian_is_asked_for_more_information_with_what_is_missing():
    request = _request("ro")
    request.information_needed = "Certificat de înregistrare"
    request.save(update_fields=["information_needed"])

    notification = notification_create(request=request, event=Notification.Event.MORE_INFO)

    assert _split(notification.body)[0] == (
        f"Pentru a evalua cererea dumneavoastră {request.reference} avem nevoie de mai multe informații. "
        "Vă rugăm să răspundeți la acest mesaj sau să ne sunați.\nCertificat de înregistrare"
    )


@pytest.mark.django_db
def test_a_household_in_chinese_hears_its_request_was_approved_in_chinese():
    request = _request("zh")

    notification = notification_create(request=request, event=Notification.Event.APPROVED)

    assert _split(notification.body)[0] == f"您的申请 {request.reference} 已获批准。我们会通知您配送日期。"
    assert (notification.language, notification.fallback_from) == ("zh", "")


@pytest.mark.django_db
def test_a_household_in_french_is_told_why_its_request_was_not_accepted():
    request = _request("fr")

    notification = notification_create(request=request, event=Notification.Event.REJECTED, reason="revenus > seuil")

    assert _split(notification.body)[0] == (
        f"Nous regrettons, votre demande {request.reference} n'a pas pu être acceptée : revenus > seuil"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("Cáritas", "Ми передали вашу заявку {ref} до Cáritas, де вам зможуть краще допомогти. З вами зв'яжуться."),
        ("", "Ми передали вашу заявку {ref} до іншої служби, де вам зможуть краще допомогти. З вами зв'яжуться."),
    ],
)
def test_a_household_in_ukrainian_hears_where_its_request_was_referred(service, expected):
    request = _request("uk")
    request.referred_to = service
    request.save(update_fields=["referred_to"])

    notification = notification_create(request=request, event=Notification.Event.REFERRED)

    assert _split(notification.body)[0] == expected.format(ref=request.reference)
    assert notification.language == "uk"
