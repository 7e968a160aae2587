"""A create form sent twice is saved once: the one-time form token (core.form_tokens)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import form_tokens
from core.tests.factories import UserFactory
from requests_intake.models import AidRequest
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TO_ASSESSMENT = {"channel": "phone", "needs": ["food"], "priority": 1, "triage": "assessment"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def test_the_new_request_form_carries_a_fresh_token_each_time(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    first = _token(client.get(reverse("request_new", args=[household.pk])))
    second = _token(client.get(reverse("request_new", args=[household.pk])))

    assert len(first) == 24
    assert first != second


def test_registering_and_sending_to_assessment_twice_creates_one_request(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])
    url = reverse("request_new", args=[household.pk])
    sent = {**TO_ASSESSMENT, "form_token": _token(client.get(url))}

    first = client.post(url, sent)
    second = client.post(url, sent)

    assert AidRequest.objects.filter(household=household).count() == 1
    assert (first.status_code, second.status_code) == (302, 302)
    assert second.url == first.url
    assert "already been sent; it was saved once" in client.get(second.url).content.decode()


def test_a_repeat_while_the_first_is_still_being_saved_is_told_so_and_saves_nothing(client, role_users, monkeypatch):
    monkeypatch.setattr(form_tokens, "WAIT_S", 0)
    household = HouseholdFactory()
    user = role_users["intake_operator"]
    client.force_login(user)
    url = reverse("request_new", args=[household.pk])
    token = _token(client.get(url))
    cache.set(f"form-token:{user.pk}:{token}", form_tokens.PENDING)

    response = client.post(url, {**TO_ASSESSMENT, "form_token": token})

    assert response.status_code == 409
    assert "already being saved" in response.content.decode()
    assert not AidRequest.objects.exists()


def test_a_form_sent_back_with_errors_can_be_sent_again_with_its_token(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])
    url = reverse("request_new", args=[household.pk])
    token = _token(client.get(url))

    refused = client.post(url, {**TO_ASSESSMENT, "needs": [], "form_token": token})
    assert refused.status_code == 200
    assert _token(refused) == token
    assert not AidRequest.objects.exists()

    saved = client.post(url, {**TO_ASSESSMENT, "form_token": token})

    assert saved.status_code == 302
    assert AidRequest.objects.filter(household=household).count() == 1


def test_the_same_token_from_another_user_is_not_taken_for_a_repeat(client, role_users):
    household = HouseholdFactory()
    url = reverse("request_new", args=[household.pk])
    client.force_login(role_users["intake_operator"])
    token = _token(client.get(url))
    client.post(url, {**TO_ASSESSMENT, "form_token": token})

    colleague = UserFactory(username="operadora2")
    colleague.groups.set(role_users["intake_operator"].groups.all())
    client.force_login(colleague)
    client.post(url, {**TO_ASSESSMENT, "form_token": token})

    assert AidRequest.objects.filter(household=household).count() == 2
