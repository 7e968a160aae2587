"""The conversation with a household, the services: one-word replies through the gateway (SÍ, NO, BAJA, ALTA),
the opt-out every sender honours, staff replies and unread counts by zone.

The pages and the webhook over HTTP are tested in test_conversation_pages.py."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from core.roles import SOCIAL_WORKER
from core.tests.factories import UserFactory
from delivery.models import Stop
from logistics.calendar import next_allowed_day
from logistics.models import DeliveryOrder
from requests_intake.channels import message_receive
from requests_intake.conversations import (
    CONFIRM,
    DECLINE,
    OPT_IN,
    OPT_OUT,
    REPLY_MAX_LENGTH,
    conversation_reply,
    keyword_of,
    unread_conversations,
)
from requests_intake.models import AidRequest, KeywordAction, MessageOptOut, Notification, RequestMessage, StatusLink
from requests_intake.notifications import notification_create, notification_deliver
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db

PHONE = "+34611222333"
BACKEND = "requests_intake.tests.test_conversation_services.RecordingBackend"


class RecordingBackend:
    """Keeps what it was asked to send, so a test sees what left and what did not."""

    sent: list[tuple[str, str]] = []

    def send(self, notification: Notification) -> str:
        RecordingBackend.sent.append((notification.recipient, notification.event))
        return f"p-{notification.pk}"


@pytest.fixture(autouse=True)
def recording(settings):
    settings.NOTIFICATION_BACKEND = BACKEND
    RecordingBackend.sent = []
    return RecordingBackend


@pytest.fixture
def zone():
    return ZoneFactory(name="Barrio Peral")


@pytest.fixture
def household(zone):
    return HouseholdFactory(given_name="Lucía", phone=PHONE, language="en", zone=zone)


@pytest.fixture
def order(role_users, household) -> DeliveryOrder:
    order, _item, _warehouse = approved_order(role_users, household=household)
    return order


def _reply(body: str, external_id: str, *, contact: str = PHONE, channel: str = "sms"):
    return message_receive(channel=channel, contact=contact, body=body, external_id=external_id)


def _events(request: AidRequest) -> list[str]:
    return list(request.notifications.order_by("pk").values_list("event", flat=True))


# --- Keywords ---


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("Sí.", CONFIRM),
        (" si ", CONFIRM),
        ("YES", CONFIRM),
        ("confirmo!", CONFIRM),
        ("No", DECLINE),
        ("NO ESTARÉ", DECLINE),
        ("no estare.", DECLINE),
        ("Baja", OPT_OUT),
        ("STOP", OPT_OUT),
        ("alta", OPT_IN),
        ("no tengo comida", ""),
        ("sí, pero a las 10", ""),
        ("", ""),
    ],
)
def test_a_keyword_is_the_whole_message_whatever_its_accents_case_and_punctuation(body, keyword):
    assert keyword_of(body) == keyword


# --- SÍ and NO ---


def test_si_confirms_the_next_delivery_and_thanks_the_person(order):
    request = order.plan.request

    receipt = _reply("Sí", "sms-1")

    assert (receipt.request, receipt.action, receipt.created) == (request, KeywordAction.CONFIRMED, False)
    assert StatusLink.objects.get(request=request, confirmed_at__isnull=False).confirmed_for == order.due_date
    assert _events(request)[-1] == Notification.Event.CONFIRMED
    message = receipt.message
    assert (message.direction, message.action, message.external_id) == ("in", "confirmed", "sms-1")
    assert message.read_at is not None  # done by itself: nobody needs to read it
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED


def test_no_moves_the_next_delivery_to_the_next_allowed_day_and_tells_the_person(order):
    request = order.plan.request
    expected = next_allowed_day(order, order.due_date)
    assert expected is not None

    receipt = _reply("NO", "sms-2")

    order.refresh_from_db()
    assert (order.due_date, receipt.action) == (expected, KeywordAction.MOVED)
    assert _events(request)[-1] == Notification.Event.RESCHEDULED
    assert receipt.message.read_at is not None


def test_no_takes_a_planned_order_off_its_round(role_users, household):
    stop = planned_stop(role_users, household=household)
    order = stop.order

    receipt = _reply("no estaré", "wa-3", channel="whatsapp")

    order.refresh_from_db()
    assert receipt.action == KeywordAction.MOVED
    assert not Stop.objects.filter(pk=stop.pk).exists()
    assert order.status == DeliveryOrder.Status.RESERVED


def test_a_no_that_cannot_be_moved_stays_unread_for_intake_and_the_person_is_told_someone_will_call(monkeypatch, order):
    monkeypatch.setattr("delivery.replies.next_allowed_day", lambda order, after: None)
    day = order.due_date

    receipt = _reply("No", "sms-4")

    order.refresh_from_db()
    assert (order.due_date, receipt.action) == (day, KeywordAction.MOVE_ASKED)
    assert receipt.message.read_at is None
    assert _events(order.plan.request)[-1] == Notification.Event.MOVE_ASKED


def test_a_gateway_retry_of_the_same_no_moves_the_order_once(order):
    expected = next_allowed_day(order, order.due_date)

    first = _reply("NO", "sms-5")
    again = _reply("NO", "sms-5")

    order.refresh_from_db()
    assert order.due_date == expected
    assert (again.replayed, again.action, again.message) == (True, KeywordAction.MOVED, first.message)
    assert RequestMessage.objects.filter(external_id="sms-5").count() == 1
    assert _events(order.plan.request).count(Notification.Event.RESCHEDULED) == 1


def test_a_no_from_a_number_not_on_record_moves_nobodys_order(order):
    day = order.due_date

    receipt = _reply("NO", "sms-6", contact="+34699000111")

    order.refresh_from_db()
    assert order.due_date == day
    assert (receipt.action, receipt.created) == ("", True)  # an ordinary message: it starts a request
    assert receipt.request.household != order.household


def test_si_with_no_delivery_to_come_is_an_ordinary_message(household, role_users):
    from requests_intake.services import aid_request_register

    open_request = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"]
    )

    receipt = _reply("Sí", "sms-7")

    assert (receipt.request, receipt.action, receipt.message.action) == (open_request, "", "")
    assert receipt.message.read_at is None


# --- BAJA and ALTA ---


def test_baja_records_the_opt_out_on_the_households_conversation(order):
    receipt = _reply("BAJA", "sms-8")

    opt_out = MessageOptOut.objects.get()
    assert (opt_out.contact, opt_out.channel, opt_out.message) == (PHONE, "sms", receipt.message)
    assert (receipt.request, receipt.action) == (order.plan.request, KeywordAction.OPTED_OUT)


def test_nothing_is_sent_to_an_address_that_answered_baja(order, django_capture_on_commit_callbacks):
    _reply("stop", "sms-9")
    RecordingBackend.sent = []

    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(request=order.plan.request, event=Notification.Event.SURVEY, link="L")

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.OPTED_OUT, 0)
    assert RecordingBackend.sent == []


def test_a_message_stored_before_baja_is_not_sent_after_it(order):
    pending = notification_create(request=order.plan.request, event=Notification.Event.SURVEY, link="L")
    _reply("Baja", "sms-10")

    notification_deliver(notification_id=pending.pk)

    pending.refresh_from_db()
    assert pending.status == Notification.Status.OPTED_OUT
    assert RecordingBackend.sent == []


def test_a_keyword_answer_is_not_sent_to_an_opted_out_number(order):
    _reply("BAJA", "sms-11")

    _reply("Sí", "sms-12")

    confirmed = order.plan.request.notifications.get(event=Notification.Event.CONFIRMED)
    assert confirmed.status == Notification.Status.OPTED_OUT


def test_alta_lets_messages_through_again(order):
    _reply("BAJA", "sms-13")

    receipt = _reply("ALTA", "sms-14")

    assert (receipt.action, MessageOptOut.objects.count()) == (KeywordAction.OPTED_IN, 0)
    notification = notification_create(request=order.plan.request, event=Notification.Event.SURVEY, link="L")
    assert notification.status == Notification.Status.PENDING


def test_baja_from_an_address_nobody_knows_starts_no_request_and_is_kept(db):
    receipt = _reply("STOP", "sms-15", contact="+34699000222")
    again = _reply("STOP", "sms-15", contact="+34699000222")

    assert (receipt.request, receipt.message, receipt.action) == (None, None, KeywordAction.OPTED_OUT)
    assert again.action == KeywordAction.OPTED_OUT
    assert (AidRequest.objects.count(), MessageOptOut.objects.count()) == (0, 1)


# --- Staff replies ---


@pytest.fixture
def worker(zone, role_users):
    user = UserFactory(username="marta", first_name="Marta")
    user.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    zone.social_workers.add(user)
    return user


def test_a_reply_goes_where_the_person_last_wrote_from_and_marks_their_messages_read(
    order, worker, django_capture_on_commit_callbacks
):
    question = _reply("¿A qué hora venís?", "wa-20", channel="whatsapp")
    assert question.message.read_at is None

    with django_capture_on_commit_callbacks(execute=True):
        answer = conversation_reply(actor=worker, household=order.household, body="Entre las 10 y las 12.")

    notification = answer.notification
    notification.refresh_from_db()
    assert (answer.direction, answer.author, answer.channel, answer.sender) == ("out", worker, "whatsapp", PHONE)
    assert (notification.event, notification.status) == (Notification.Event.REPLY, Notification.Status.SENT)
    # On the request the question started (the order's own was approved, so no longer open).
    assert (answer.request, notification.request) == (question.request, question.request)
    assert notification.body.startswith(f"{question.request.reference}: Entre las 10 y las 12.")
    assert RecordingBackend.sent == [(PHONE, "reply")]
    question.message.refresh_from_db()
    assert question.message.read_at is not None


@pytest.mark.parametrize(("body", "code"), [("   ", "reply_empty"), ("x" * (REPLY_MAX_LENGTH + 1), "reply_too_long")])
def test_an_empty_or_too_long_reply_is_refused_and_nothing_is_sent(order, worker, body, code):
    before = (RequestMessage.objects.count(), Notification.objects.count())

    with pytest.raises(ValidationError) as excinfo:
        conversation_reply(actor=worker, household=order.household, body=body)

    assert excinfo.value.error_dict["body"][0].code == code
    assert (RequestMessage.objects.count(), Notification.objects.count()) == before


def test_a_reply_to_an_opted_out_number_is_refused(order, worker):
    _reply("BAJA", "sms-21")
    before = Notification.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        conversation_reply(actor=worker, household=order.household, body="Hola")

    assert excinfo.value.code == "contact_opted_out"
    assert Notification.objects.count() == before
    assert not RequestMessage.objects.filter(direction="out", author=worker).exists()


def test_a_household_with_no_request_cannot_be_written_to(household, worker):
    with pytest.raises(ValidationError) as excinfo:
        conversation_reply(actor=worker, household=household, body="Hola")

    assert excinfo.value.error_dict["body"][0].code == "reply_no_request"


def test_a_social_worker_of_another_zone_or_a_driver_may_not_reply(order, role_users):
    stranger = UserFactory(username="pablo")
    stranger.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    ZoneFactory(name="Los Dolores").social_workers.add(stranger)

    for actor in (stranger, role_users["driver"]):
        with pytest.raises(ValidationError) as excinfo:
            conversation_reply(actor=actor, household=order.household, body="Hola")
        assert excinfo.value.code == "reply_not_allowed"
    assert not RequestMessage.objects.filter(direction="out").exists()


# --- Unread counts ---


def test_unread_counts_are_by_household_and_only_of_the_workers_zones(order, worker):
    _reply("¿Cuándo venís?", "wa-30", channel="whatsapp")
    _reply("Estoy en casa por la tarde", "wa-31", channel="whatsapp")
    elsewhere = HouseholdFactory(phone="+34622333444", zone=ZoneFactory(name="Los Dolores"))
    _reply("Hola", "wa-32", contact=elsewhere.phone, channel="whatsapp")

    [row] = unread_conversations(worker)

    assert (row.household_id, row.name, row.unread) == (order.household_id, order.household.full_name, 2)


def test_a_driver_counts_no_unread_messages(order, role_users):
    _reply("¿Cuándo venís?", "wa-33", channel="whatsapp")

    assert unread_conversations(role_users["driver"]) == []
