"""Integration tokens (scoped, shown once, revocable, last use kept) and Idempotency-Key on POST."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from api.models import ApiToken, IdempotentResponse
from api.tokens import api_token_create, key_hash
from core.roles import INTAKE_OPERATOR, MANAGER
from requests_intake.api.tokens import api_token_issue
from requests_intake.models import AidRequest, Household
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

NEW_HOUSEHOLD = {"given_name": "Ana", "family_name": "Ruiz", "document_type": "none"}


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_token_is_stored_only_as_a_hash_and_its_key_is_printed_once(role_users):
    out = io.StringIO()
    call_command(
        "integration_token", "create", "bi", "--scope", "read_only", "--user", MANAGER, stdout=out, stderr=io.StringIO()
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="bi")
    assert key.startswith("rpt_")
    assert token.key_hash == key_hash(key)
    assert key not in (token.key_hash, token.prefix)
    assert token.prefix == key[:12]


def test_a_read_only_token_reads_but_may_not_create(role_users):
    _token, key = api_token_create(name="bi", scope="read_only", username=INTAKE_OPERATOR)
    client = bearer(key)
    assert client.get("/api/v1/households/").status_code == 200
    refused = client.post("/api/v1/households/", NEW_HOUSEHOLD, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert Household.objects.count() == 0


def test_an_intake_token_creates_households_and_requests_and_reads_nothing(role_users):
    _token, key = api_token_create(name="phones", scope="intake_only", username=INTAKE_OPERATOR)
    client = bearer(key)
    created = client.post("/api/v1/households/", NEW_HOUSEHOLD, format="json")
    assert created.status_code == 201
    request = client.post(
        "/api/v1/requests/", {"household": created.json()["id"], "channel": "phone", "needs": ["food"]}, format="json"
    )
    assert request.status_code == 201
    assert client.get("/api/v1/households/").status_code == 403
    assert client.get(f"/api/v1/requests/{request.json()['id']}/").status_code == 403


def test_a_token_never_reaches_more_than_its_users_role(role_users):
    _token, key = api_token_create(name="phones", scope="read_only", username=INTAKE_OPERATOR)
    assert bearer(key).get("/api/v1/orders/").status_code == 403  # intake operators do not see orders


def test_a_webhook_token_posts_gateway_messages_only(role_users):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    gateway = get_user_model().objects.create_user("wa-gateway")
    gateway.user_permissions.add(Permission.objects.get(codename="post_gateway_messages"))
    _token, key = api_token_create(name="whatsapp", scope="webhook_only", username="wa-gateway")
    client = bearer(key)
    message = {"channel": "whatsapp", "contact": "+34600111222", "body": "Necesito comida", "external_id": "m1"}
    assert client.post("/api/v1/intake/messages/", message, format="json").status_code == 201
    assert client.get("/api/v1/households/").status_code == 403


def test_a_revoked_token_is_refused_and_its_last_use_was_recorded(role_users):
    token, key = api_token_create(name="bi", scope="read_only", username=MANAGER)
    assert bearer(key).get("/api/v1/orders/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    call_command("integration_token", "revoke", "bi", stdout=io.StringIO())
    refused = bearer(key).get("/api/v1/orders/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


def test_creating_a_token_for_an_unknown_user_or_scope_is_refused_and_makes_none(role_users):
    with pytest.raises(CommandError, match="no active user ghost"):
        call_command(
            "integration_token", "create", "x", "--scope", "read_only", "--user", "ghost", stderr=io.StringIO()
        )
    assert ApiToken.objects.count() == 0


def test_a_persons_drf_token_keeps_working_on_v1(role_users):
    token, _new = api_token_issue(username=MANAGER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/orders/").status_code == 200


def test_the_same_idempotency_key_gives_the_first_answer_and_creates_once(role_users):
    _token, key = api_token_create(name="phones", scope="intake_only", username=INTAKE_OPERATOR)
    client = bearer(key)
    household = HouseholdFactory()
    body = {"household": household.pk, "channel": "phone", "needs": ["food"]}
    first = client.post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-17")
    again = client.post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-17")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AidRequest.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_a_422_and_does_nothing(role_users):
    _token, key = api_token_create(name="phones", scope="intake_only", username=INTAKE_OPERATOR)
    client = bearer(key)
    household = HouseholdFactory()
    body = {"household": household.pk, "channel": "phone", "needs": ["food"]}
    client.post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-17")
    other = client.post(
        "/api/v1/requests/", {**body, "needs": ["hygiene"]}, format="json", HTTP_IDEMPOTENCY_KEY="call-17"
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert AidRequest.objects.count() == 1


def test_an_idempotency_key_belongs_to_its_user(role_users):
    household = HouseholdFactory()
    body = {"household": household.pk, "channel": "phone", "needs": ["food"]}
    _t, first_key = api_token_create(name="a", scope="intake_only", username=INTAKE_OPERATOR)
    other_operator = role_users[INTAKE_OPERATOR].__class__.objects.create_user("operator2")
    other_operator.groups.set(role_users[INTAKE_OPERATOR].groups.all())
    _t, second_key = api_token_create(name="b", scope="intake_only", username="operator2")
    assert bearer(first_key).post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert (
        bearer(second_key).post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    )
    assert AidRequest.objects.count() == 2
    assert IdempotentResponse.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(role_users):
    _token, key = api_token_create(name="phones", scope="intake_only", username=INTAKE_OPERATOR)
    answer = bearer(key).post("/api/v1/households/", NEW_HOUSEHOLD, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "idempotency_key_invalid"
    assert Household.objects.count() == 0
