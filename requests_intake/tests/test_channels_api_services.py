"""The inbound webhook: gateways start requests or add messages to open ones, once per message, with a token.

Here the services, models and commands, called directly; the pages are tested in test_channels_api_pages.py."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from core.tests.factories import UserFactory
from requests_intake.channels import contact_normalise, message_receive
from requests_intake.models import AidRequest
from requests_intake.tests.helpers.channels_api import _counts, _gateway_token

pytestmark = pytest.mark.django_db


# --- The gateway's token ---


def test_gateway_token_creates_a_service_user_with_exactly_the_webhook_permissions():
    key = _gateway_token("sms-gateway")

    token = Token.objects.get(key=key)
    assert token.user.username == "sms-gateway"
    assert not token.user.has_usable_password()
    assert list(token.user.groups.values_list("name", flat=True)) == ["gateway"]
    permissions = Group.objects.get(name="gateway").permissions.values_list("codename", flat=True)
    assert sorted(permissions) == ["post_gateway_messages"]


def test_gateway_token_shows_the_same_token_again_and_rotates_it_on_request():
    key = _gateway_token("sms-gateway")

    assert _gateway_token("sms-gateway") == key
    out = io.StringIO()
    call_command("gateway_token", "sms-gateway", "--rotate", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() not in ("", key)
    assert not Token.objects.filter(key=key).exists()


def test_gateway_token_refuses_to_turn_a_persons_account_into_a_gateway():
    person = UserFactory(username="maria")

    with pytest.raises(CommandError, match="exists and is not a gateway"):
        _gateway_token("maria")

    assert not Token.objects.filter(user=person).exists()
    assert not person.groups.exists()


# --- The service, directly ---


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("600111222", "+34600111222"),
        ("34600111222", "+34600111222"),
        ("whatsapp:+34600111222", "+34600111222"),
        ("+56 9 6123 4567", "+56961234567"),
        ("mailto:Ana@Example.ORG", "ana@example.org"),
    ],
)
def test_contacts_are_put_in_one_form(raw, expected):
    assert contact_normalise(raw) == expected


def test_a_language_the_product_does_not_speak_falls_back_to_the_households():
    receipt = message_receive(channel="sms", contact="600111222", body="Hola", external_id="sms-1", language="pt-BR")

    assert receipt.request.language == "en"
    assert receipt.request.household.language == "en"
    assert receipt.request.notifications.get().language == "en"


def test_the_service_refuses_every_bad_field_at_once():
    with pytest.raises(ValidationError) as refused:
        message_receive(channel="fax", contact="nobody", body=" ", external_id="")

    assert {field: [error.code for error in errors] for field, errors in refused.value.error_dict.items()} == {
        "body": ["body_missing"],
        "channel": ["channel_not_gateway"],
        "contact": ["contact_unrecognised"],
        "external_id": ["external_id_missing"],
    }
    assert _counts() == (0, 0, 0, 0)


def test_a_message_id_already_used_by_another_sender_is_refused_and_tells_nothing():
    first = message_receive(channel="whatsapp", contact="600111222", body="Hola", external_id="x1")
    with pytest.raises(ValidationError) as refused:
        message_receive(channel="sms", contact="699999999", body="Otra persona", external_id="x1")

    assert [error.code for error in refused.value.error_dict["external_id"]] == ["external_id_taken"]
    assert first.request.reference not in str(refused.value)
    assert AidRequest.objects.count() == 1
