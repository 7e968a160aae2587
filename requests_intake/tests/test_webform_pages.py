"""The public web form: anyone may ask for help, with consent, a limited number of times an hour.

Here through the HTTP client (pages, API, admin); the services are tested in test_webform_services.py."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import AidRequest, Household, Notification
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.tests.helpers.webform import URL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The limit lives in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def _answers(**overrides) -> dict:
    return {
        "given_name": "Rosa María",
        "family_name": "Pérez Muñoz",
        "phone": "600 11 12 22",
        "email": "",
        "address": "Calle de la Alfarería 14, 3º",
        "postcode": "30201",
        "municipality": "Cartagena",
        "needs": ["food", "hygiene"],
        "description": "Vivo sola y no puedo salir de casa.",
        "language": "en",
        "preferred_channel": "sms",
        "consent": "on",
        "website": "",
        **overrides,
    }


def _counts() -> tuple[int, int, int]:
    return Household.objects.count(), AidRequest.objects.count(), Notification.objects.count()


def test_the_form_is_at_solicitar():
    assert reverse("webform_request") == URL


def test_anyone_may_open_the_form_without_signing_in(client):
    page = client.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert '<form method="post" action="/solicitar/"' in html
    assert 'name="consent"' in html
    assert 'type="tel"' in html


@pytest.mark.parametrize("role", ["driver", "intake_operator"])
def test_signed_in_staff_see_the_same_public_form(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(URL).status_code == 200


def test_a_request_from_the_form_registers_the_household_and_shows_the_reference(client):
    zone = ZoneFactory(postcodes="30201")

    response = client.post(URL, _answers(), follow=True)

    request = AidRequest.objects.get()
    assert response.redirect_chain == [(reverse("webform_thanks"), 302)]
    assert request.reference in response.content.decode()
    household = request.household
    assert (household.given_name, household.family_name, household.phone, household.document_type) == (
        "Rosa María",
        "Pérez Muñoz",
        "+34600111222",
        "none",
    )
    assert (household.address, household.postcode, household.municipality, household.zone) == (
        "Calle de la Alfarería 14, 3º",
        "30201",
        "Cartagena",
        zone,
    )
    assert (household.consent_on, household.consent_scope, household.language) == (
        timezone.localdate(),
        "service",
        "en",
    )
    assert (request.channel, request.contact, request.preferred_channel, request.language) == (
        "web_form",
        "+34600111222",
        "sms",
        "en",
    )
    assert (request.needs, request.description, request.registered_by, request.status) == (
        ["food", "hygiene"],
        "Vivo sola y no puedo salir de casa.",
        None,
        "in_assessment",
    )


def test_the_requester_is_told_on_the_channel_they_chose(client):
    client.post(URL, _answers(email="Rosa@Example.org", preferred_channel="email"))

    notification = Notification.objects.get()
    assert (notification.event, notification.channel, notification.recipient) == (
        "received",
        "email",
        "rosa@example.org",
    )


def test_without_consent_nothing_is_saved(client):
    answers = _answers()
    del answers["consent"]

    response = client.post(URL, answers)

    assert response.status_code == 200
    assert "We can only handle the request with your consent; tick the box." in response.content.decode()
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"phone": "12"}, "phone", "is not a valid phone number"),
        ({"phone": ""}, "phone", "This field is required."),
        ({"needs": []}, "needs", "Tick at least one need."),
        ({"address": ""}, "address", "This field is required."),
        ({"preferred_channel": "email"}, "email", "Give your e-mail address, or choose another way to be told."),
        ({"email": "rosa@"}, "email", "Enter a valid email address."),
        ({"language": "de"}, "language", "Select a valid choice."),
    ],
)
def test_bad_answers_are_shown_next_to_their_field_and_nothing_is_saved(client, changes, field, error):
    response = client.post(URL, _answers(**changes))

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert _counts() == (0, 0, 0)


def test_a_filled_honeypot_is_answered_like_a_request_but_saves_nothing(client):
    response = client.post(URL, _answers(website="http://spam.example"), follow=True)

    assert response.redirect_chain == [(reverse("webform_thanks"), 302)]
    assert "Thank you" in response.content.decode()
    assert "R-" not in response.content.decode()
    assert _counts() == (0, 0, 0)


def test_over_the_hourly_limit_the_form_answers_429_and_saves_nothing(client, settings):
    settings.WEBFORM_RATE_PER_HOUR = 2
    for phone in ("600111222", "600111333"):
        assert client.post(URL, _answers(phone=phone)).status_code == 302

    response = client.post(URL, _answers(phone="600111444"))

    assert response.status_code == 429
    assert "Nothing was saved" in response.content.decode()
    assert _counts() == (2, 2, 2)


def test_the_limit_counts_each_client_address_apart(client, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    client.post(URL, _answers(phone="600111222"), REMOTE_ADDR="10.0.0.1")

    response = client.post(URL, _answers(phone="600111333"), REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302
    assert AidRequest.objects.count() == 2


def test_mistakes_do_not_use_up_the_limit(client, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    client.post(URL, _answers(phone="12"))

    assert client.post(URL, _answers()).status_code == 302


def test_robots_use_up_the_limit_too(client, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    client.post(URL, _answers(website="spam"))

    assert client.post(URL, _answers()).status_code == 429
    assert _counts() == (0, 0, 0)


def test_a_second_request_from_the_same_phone_reuses_the_household(client):
    client.post(URL, _answers())

    client.post(URL, _answers(phone="+34 600 111 222", given_name="Rosa", needs=["medication"]))

    household = Household.objects.get()
    assert household.given_name == "Rosa María"
    assert list(household.requests.order_by("pk").values_list("needs", flat=True)) == [
        ["food", "hygiene"],
        ["medication"],
    ]


def test_a_known_phone_never_changes_the_record_and_replies_go_to_contacts_it_already_holds(client):
    """Anyone who knows a phone number can send the form: what it says goes to intake to check, not to the record."""
    household = HouseholdFactory(phone="+34600111222", address="", postcode="", municipality="", email="")

    client.post(URL, _answers(email="someone@example.com", preferred_channel="email"))

    household.refresh_from_db()
    assert (household.address, household.email) == ("", "")
    request = AidRequest.objects.get()
    assert "not checked yet" in request.description
    assert "Calle de la Alfarería 14, 3º" in request.description
    assert (request.preferred_channel, request.contact) == ("sms", "+34600111222")


def test_a_checked_household_record_is_not_overwritten_by_the_form(client):
    household = HouseholdFactory(phone="+34600111222", address="Calle Mayor 1", postcode="30202")

    client.post(URL, _answers())

    household.refresh_from_db()
    assert (household.address, household.postcode) == ("Calle Mayor 1", "30202")
    assert AidRequest.objects.get().household == household


def test_the_thank_you_page_without_a_request_just_thanks(client):
    page = client.get(reverse("webform_thanks"))

    assert page.status_code == 200
    assert "R-" not in page.content.decode()
