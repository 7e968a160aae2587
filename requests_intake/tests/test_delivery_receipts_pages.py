"""Providers' delivery receipts through the gateway's endpoint: a gateway token only, bad input answered 400."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requests_intake.models import AidRequest, Notification
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.channels_api import _gateway_token

pytestmark = pytest.mark.django_db

URL = "/api/intake/receipts/"


@pytest.fixture
def sent():
    request = AidRequest.objects.create(household=HouseholdFactory(), channel="sms", received_at=timezone.now())
    return Notification.objects.create(
        request=request,
        event="reply",
        channel="sms",
        recipient="+34611222333",
        body="Hola",
        status="sent",
        provider_id="SM-1",
    )


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_gateway_posts_a_receipt_and_it_is_recorded(sent):
    response = _client(_gateway_token()).post(URL, {"provider_id": "SM-1", "status": "read"}, format="json")

    assert (response.status_code, response.json()) == (200, {"provider_id": "SM-1", "receipt": "read"})
    sent.refresh_from_db()
    assert sent.receipt == Notification.Receipt.READ


def test_a_receipt_for_an_unknown_message_is_answered_400(sent):
    response = _client(_gateway_token()).post(URL, {"provider_id": "SM-9", "status": "read"}, format="json")

    assert response.status_code == 400
    assert "provider_id" in response.json()


def test_a_persons_token_may_not_post_receipts(sent, role_users):
    token = Token.objects.create(user=role_users["intake_operator"]).key

    response = _client(token).post(URL, {"provider_id": "SM-1", "status": "read"}, format="json")

    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.receipt == ""


def test_without_a_token_nothing_is_recorded(sent):
    response = APIClient().post(URL, {"provider_id": "SM-1", "status": "read"}, format="json")

    assert response.status_code in (401, 403)
    sent.refresh_from_db()
    assert sent.receipt == ""
