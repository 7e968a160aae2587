"""The inbound webhook: gateways start requests or add messages to open ones, once per message, with a token.

Here through the HTTP client (pages, API, admin); the services are tested in test_channels_api_services.py."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requests_intake.models import AidRequest, Household, Notification, RequestMessage
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.channels_api import _counts, _gateway_token

pytestmark = pytest.mark.django_db


URL = "/api/intake/messages/"


@pytest.fixture
def gateway() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_gateway_token()}")
    return client


def _message(**overrides) -> dict:
    return {
        "channel": "whatsapp",
        "contact": "600 11 12 22",
        "body": "Necesito comida para mis hijos",
        "external_id": "wamid.1",
        "name": "Rosa Pérez Gil",
        "language": "en-GB",
        **overrides,
    }


def test_the_url_is_where_gateways_are_told_to_post():
    assert reverse("api_intake_messages") == URL


def test_a_message_from_a_new_contact_starts_a_request_for_a_provisional_household(gateway):
    response = gateway.post(URL, _message(), format="json")

    assert response.status_code == 201
    request = AidRequest.objects.get()
    assert response.json() == {"reference": request.reference, "status": "in_assessment", "created": True}
    assert (request.channel, request.contact, request.preferred_channel, request.language) == (
        "whatsapp",
        "+34600111222",
        "whatsapp",
        "en",
    )
    assert (request.needs, request.description, request.registered_by) == (
        ["other"],
        "Necesito comida para mis hijos",
        None,
    )
    household = request.household
    assert (household.given_name, household.family_name, household.phone, household.email) == (
        "Rosa",
        "Pérez Gil",
        "+34600111222",
        "",
    )
    assert (household.document_type, household.address, household.zone, household.language) == ("none", "", None, "en")
    message = request.messages.get()
    assert (message.direction, message.channel, message.sender, message.external_id) == (
        "in",
        "whatsapp",
        "+34600111222",
        "wamid.1",
    )


def test_the_received_message_goes_back_by_the_same_channel_in_the_senders_language(gateway):
    gateway.post(URL, _message(), format="json")

    notification = Notification.objects.get()
    assert (notification.event, notification.channel, notification.recipient, notification.language) == (
        "received",
        "whatsapp",
        "+34600111222",
        "en",
    )
    assert notification.body.startswith("We have received your request R-")


def test_a_sender_without_a_name_gets_a_household_named_by_the_contact(gateway):
    gateway.post(URL, _message(name="", channel="email", contact="Ana.Lopez@Example.org"), format="json")

    household = Household.objects.get()
    assert (household.given_name, household.family_name, household.email, household.phone) == (
        "ana.lopez@example.org",
        "-",
        "ana.lopez@example.org",
        "",
    )
    assert AidRequest.objects.get().contact == "ana.lopez@example.org"


def test_a_second_message_is_added_to_the_open_request(gateway):
    first = gateway.post(URL, _message(), format="json").json()

    response = gateway.post(
        URL, _message(external_id="wamid.2", contact="+34 600 111 222", body="Somos cuatro"), format="json"
    )

    assert response.status_code == 201
    assert response.json() == {"reference": first["reference"], "status": "in_assessment", "created": False}
    request = AidRequest.objects.get()
    assert list(request.messages.values_list("body", flat=True)) == ["Necesito comida para mis hijos", "Somos cuatro"]
    assert Household.objects.count() == 1


def test_a_message_from_a_households_phone_joins_the_request_taken_by_phone(gateway, role_users):
    household = HouseholdFactory(phone="+34600111222")
    taken = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"]
    )

    response = gateway.post(URL, _message(), format="json")

    assert response.json() == {"reference": taken.reference, "status": "in_assessment", "created": False}
    assert taken.messages.get().body == "Necesito comida para mis hijos"
    assert (AidRequest.objects.count(), Household.objects.count()) == (1, 1)


def test_an_answer_to_a_request_waiting_for_information_sends_it_back_to_assessment(gateway):
    gateway.post(URL, _message(), format="json")
    AidRequest.objects.update(status=AidRequest.Status.MORE_INFO, information_needed="How many are you?")

    response = gateway.post(URL, _message(external_id="wamid.2", body="Somos cuatro"), format="json")

    assert response.json()["status"] == "in_assessment"
    assert AidRequest.objects.get().status == AidRequest.Status.IN_ASSESSMENT


def test_after_a_decision_a_new_message_starts_a_new_request_for_the_same_household(gateway):
    gateway.post(URL, _message(), format="json")
    AidRequest.objects.update(status=AidRequest.Status.REJECTED, rejection_reason="Duplicada")

    response = gateway.post(URL, _message(external_id="wamid.2", body="Otra vez sin comida"), format="json")

    assert response.status_code == 201
    assert response.json()["created"] is True
    assert AidRequest.objects.count() == 2
    assert Household.objects.count() == 1


def test_an_email_is_matched_to_the_household_with_that_address_whatever_its_case(gateway):
    household = HouseholdFactory(email="Ana.Lopez@example.org")

    gateway.post(URL, _message(channel="email", contact="ANA.LOPEZ@example.org"), format="json")

    assert AidRequest.objects.get().household == household


def test_the_same_message_posted_twice_is_stored_once_and_answered_the_same(gateway):
    first = gateway.post(URL, _message(), format="json")
    before = _counts()

    again = gateway.post(URL, _message(body="a retried call"), format="json")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert _counts() == before == (1, 1, 1, 1)


def test_a_retry_that_races_the_first_call_stores_nothing_and_answers_like_it(gateway, monkeypatch):
    from requests_intake import channels

    first = gateway.post(URL, _message(), format="json").json()
    before = _counts()
    real_replay = channels._replay
    calls = []

    def not_seen_yet(external_id, **sender):
        # The first look happens before the other call commits; the unique id catches the race.
        calls.append(external_id)
        return None if len(calls) == 1 else real_replay(external_id, **sender)

    monkeypatch.setattr(channels, "_replay", not_seen_yet)

    again = gateway.post(URL, _message(), format="json")

    assert (again.status_code, again.json()) == (200, first)
    assert _counts() == before
    assert len(calls) == 2


def test_a_retried_call_for_an_added_message_says_it_created_nothing(gateway):
    gateway.post(URL, _message(), format="json")
    added = gateway.post(URL, _message(external_id="wamid.2"), format="json").json()

    again = gateway.post(URL, _message(external_id="wamid.2"), format="json")

    assert again.json() == added
    assert added["created"] is False
    assert RequestMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact": "call me maybe"}, "contact"),
        ({"contact": "12"}, "contact"),
        ({"contact": ""}, "contact"),
        ({"contact": "ana@"}, "contact"),
        ({"channel": "sms", "contact": "ana@example.org"}, "contact"),
        ({"channel": "email", "contact": "+34600111222"}, "contact"),
        ({"channel": "fax"}, "channel"),
        ({"channel": "phone"}, "channel"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"external_id": ""}, "external_id"),
        ({"external_id": "x" * 101}, "external_id"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(gateway, changes, field):
    response = gateway.post(URL, _message(**changes), format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert _counts() == (0, 0, 0, 0)


def test_a_missing_field_is_refused(gateway):
    message = _message()
    del message["external_id"]

    response = gateway.post(URL, message, format="json")

    assert response.status_code == 400
    assert response.json() == {"external_id": ["This field is required."]}


def test_without_a_token_the_gateway_is_not_authenticated():
    response = APIClient().post(URL, _message(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert _counts() == (0, 0, 0, 0)


def test_a_wrong_token_is_not_authenticated():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.post(URL, _message(), format="json").status_code == 401


def test_a_signed_in_session_is_not_enough(client, role_users):
    client.force_login(role_users["intake_operator"])

    assert client.post(URL, _message(), content_type="application/json").status_code == 401
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("role", ["driver", "social_worker", "manager"])
def test_a_token_whose_user_lacks_the_permissions_is_forbidden(role_users, role):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=role_users[role]).key}")

    response = client.post(URL, _message(), format="json")

    assert response.status_code == 403
    assert _counts() == (0, 0, 0, 0)


def test_reading_the_endpoint_is_not_offered(gateway):
    assert gateway.get(URL).status_code == 405
