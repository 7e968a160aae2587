"""The conversation with a household through the HTTP client: the inbox and the thread for every role, the zone
rule on each, the staff reply, the household record's link, and SÍ/NO/BAJA posted through the gateway webhook.

The services are tested in test_conversation_services.py."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, MANAGER, SOCIAL_WORKER, SUPPLIER_COORDINATOR
from core.tests.factories import UserFactory
from logistics.calendar import next_allowed_day
from requests_intake.channels import message_receive
from requests_intake.models import MessageOptOut, Notification, RequestMessage
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.tests.helpers.channels_api import _gateway_token
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

PHONE = "+34611222333"
WEBHOOK = "/api/intake/messages/"
READERS = {INTAKE_OPERATOR, SOCIAL_WORKER, MANAGER}
OTHERS = {LOGISTICS_PLANNER, DRIVER, SUPPLIER_COORDINATOR}


@pytest.fixture
def zone():
    return ZoneFactory(name="Barrio Peral")


@pytest.fixture
def order(role_users, zone):
    household = HouseholdFactory(given_name="Lucía", phone=PHONE, language="en", zone=zone)
    order, _item, _warehouse = approved_order(role_users, household=household)
    return order


@pytest.fixture
def household(order):
    return order.household


@pytest.fixture
def question(household):
    return message_receive(channel="whatsapp", contact=PHONE, body="¿A qué hora venís?", external_id="wa-1").message


@pytest.fixture
def outsider(role_users):
    """A social worker of another zone."""
    user = UserFactory(username="pablo")
    user.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    ZoneFactory(name="Los Dolores").social_workers.add(user)
    return user


@pytest.fixture
def gateway() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_gateway_token()}")
    return client


def _as(client, user):
    client.force_login(user)
    return client


# --- Who may open what ---


@pytest.mark.parametrize("role", sorted(READERS | OTHERS))
def test_the_inbox_opens_to_intake_social_workers_and_managers_only(client, role_users, role):
    response = _as(client, role_users[role]).get(reverse("conversations"))

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", sorted(READERS | OTHERS))
def test_the_thread_opens_to_intake_social_workers_and_managers_only(client, role_users, household, role):
    response = _as(client, role_users[role]).get(reverse("conversation", args=[household.pk]))

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("name", ["conversations", "conversation"])
def test_nobody_signed_out_reads_a_conversation(client, household, name):
    url = reverse(name, args=[household.pk] if name == "conversation" else [])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_social_worker_of_another_zone_may_not_open_or_answer_the_thread(client, household, question, outsider):
    _as(client, outsider)

    assert client.get(reverse("conversation", args=[household.pk])).status_code == 403
    assert client.post(reverse("conversation", args=[household.pk]), {"body": "Hola"}).status_code == 403
    assert not RequestMessage.objects.filter(direction="out").exists()
    question.refresh_from_db()
    assert question.read_at is None


@pytest.mark.parametrize("role", [MANAGER, LOGISTICS_PLANNER, DRIVER, SUPPLIER_COORDINATOR])
def test_only_intake_and_social_workers_may_reply(client, role_users, household, question, role):
    response = _as(client, role_users[role]).post(reverse("conversation", args=[household.pk]), {"body": "Hola"})

    assert response.status_code == 403
    assert not RequestMessage.objects.filter(direction="out").exists()


# --- The inbox and the thread ---


def test_the_inbox_lists_only_the_households_of_the_workers_zones(client, role_users, zone, household, question):
    worker = role_users[SOCIAL_WORKER]
    zone.social_workers.add(worker)
    elsewhere = HouseholdFactory(given_name="Rosa", phone="+34622333444", zone=ZoneFactory(name="Los Dolores"))
    message_receive(channel="sms", contact=elsewhere.phone, body="Hola", external_id="sms-2")

    page = _as(client, worker).get(reverse("conversations")).content.decode()

    assert household.full_name in page
    assert elsewhere.full_name not in page


def test_opening_the_thread_shows_the_messages_and_marks_them_read_for_the_zone(
    client, role_users, household, question
):
    response = _as(client, role_users[SOCIAL_WORKER]).get(reverse("conversation", args=[household.pk]))

    assert "¿A qué hora venís?" in response.content.decode()
    question.refresh_from_db()
    assert question.read_at is not None


def test_a_manager_looking_in_leaves_the_messages_unread(client, role_users, household, question):
    _as(client, role_users[MANAGER]).get(reverse("conversation", args=[household.pk]))

    question.refresh_from_db()
    assert question.read_at is None


def test_a_social_worker_replies_from_the_thread(client, role_users, household, question):
    worker = role_users[SOCIAL_WORKER]

    response = _as(client, worker).post(
        reverse("conversation", args=[household.pk]), {"body": "Entre las 10 y las 12."}
    )

    assert response.status_code == 302
    reply = RequestMessage.objects.get(direction="out", author=worker)
    assert (reply.body, reply.channel, reply.sender) == ("Entre las 10 y las 12.", "whatsapp", PHONE)
    assert reply.notification.event == Notification.Event.REPLY
    page = client.get(reverse("conversation", args=[household.pk])).content.decode()
    assert "Entre las 10 y las 12." in page


def test_an_empty_reply_is_refused_on_the_page_and_nothing_is_sent(client, role_users, household, question):
    before = Notification.objects.count()

    response = _as(client, role_users[INTAKE_OPERATOR]).post(
        reverse("conversation", args=[household.pk]), {"body": "   "}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert Notification.objects.count() == before
    assert not RequestMessage.objects.filter(direction="out").exists()


def test_a_reply_to_a_number_that_answered_baja_is_refused_and_the_page_says_why(
    client, role_users, household, question
):
    message_receive(channel="whatsapp", contact=PHONE, body="BAJA", external_id="wa-3")
    before = Notification.objects.count()

    response = _as(client, role_users[SOCIAL_WORKER]).post(
        reverse("conversation", args=[household.pk]), {"body": "Hola"}
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["contact_opted_out"]
    assert Notification.objects.count() == before
    assert 'id="opted-out"' in response.content.decode()


def test_the_household_record_links_to_the_conversation_with_its_unread_count(client, role_users, household, question):
    page = _as(client, role_users[MANAGER]).get(reverse("household_detail", args=[household.pk])).content.decode()

    assert reverse("conversation", args=[household.pk]) in page
    assert "1 unread message" in page


# --- The webhook: SÍ, NO and BAJA over HTTP ---


def _post(gateway, body: str, external_id: str, contact: str = PHONE):
    return gateway.post(
        WEBHOOK, {"channel": "sms", "contact": contact, "body": body, "external_id": external_id}, format="json"
    )


def test_no_through_the_webhook_moves_the_order_and_a_retry_does_not_move_it_again(gateway, order):
    expected = next_allowed_day(order, order.due_date)

    first = _post(gateway, "NO", "sms-10")
    again = _post(gateway, "NO", "sms-10")

    order.refresh_from_db()
    assert order.due_date == expected
    assert (first.status_code, again.status_code) == (201, 200)
    reference = order.plan.request.reference
    assert first.json() == {"reference": reference, "status": "approved", "created": False, "action": "moved"}
    assert again.json() == first.json()
    rescheduled = order.plan.request.notifications.filter(event=Notification.Event.RESCHEDULED)
    assert rescheduled.count() == 1


def test_si_through_the_webhook_confirms_the_order(gateway, order):
    response = _post(gateway, "Sí", "sms-11")

    assert (response.status_code, response.json()["action"]) == (201, "confirmed")
    assert order.plan.request.notifications.filter(event=Notification.Event.CONFIRMED).count() == 1


def test_stop_from_an_unknown_number_through_the_webhook_is_kept_without_a_request(gateway):
    response = _post(gateway, "STOP", "sms-12", contact="+34699000222")

    assert response.status_code == 201
    assert response.json() == {"reference": None, "status": None, "created": False, "action": "opted_out"}
    assert MessageOptOut.objects.get().contact == "+34699000222"


def test_an_ordinary_message_through_the_webhook_answers_as_it_always_did(gateway, order):
    response = _post(gateway, "¿Puedo cambiar la dirección?", "sms-13")

    assert response.status_code == 201
    assert set(response.json()) == {"reference", "status", "created"}
