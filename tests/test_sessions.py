"""Shared office computers: pages with people's data are never cached, and a session ends after a working day or
after SESSION_IDLE_MINUTES without a request."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.middleware import LAST_SEEN_KEY
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("social_worker", "household_detail"),
        ("social_worker", "household_data_export"),
        ("driver", "driver_round"),
        ("manager", "home"),
    ],
)
def test_pages_for_a_signed_in_person_are_never_stored(client, role_users, role, url_name):
    household = HouseholdFactory()
    client.force_login(role_users[role])
    url = reverse(url_name, kwargs={"pk": household.pk}) if url_name.startswith("household") else reverse(url_name)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_page_that_sets_its_own_caching_keeps_it(client, role_users):
    client.force_login(role_users["driver"])

    assert client.get(reverse("driver_sw"))["Cache-Control"] == "no-cache"


def test_the_public_form_for_a_visitor_is_left_alone(client):
    response = client.get(reverse("webform_request"))

    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_an_api_answer_to_a_token_is_never_stored(role_users):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=role_users['manager']).key}")

    response = api.get(reverse("api_stock"))

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def _idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(timezone.now().timestamp()) - minutes * 60
    session.save()


def test_a_session_idle_for_less_than_the_limit_stays_signed_in(client, role_users, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(role_users["manager"])
    client.get(reverse("home"))
    _idle_for(client, 29)

    response = client.get(reverse("home"))

    assert response.status_code == 200


def test_a_session_idle_past_the_limit_is_signed_out_and_told_why(client, role_users, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(role_users["manager"])
    client.get(reverse("home"))
    _idle_for(client, 31)

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "You were signed out after 30 minutes without activity; sign in again." in response.content.decode()


def test_a_drivers_phone_idle_between_stops_stays_signed_in(client, role_users, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(role_users["driver"])
    client.get(reverse("home"))
    _idle_for(client, 90)

    client.get(reverse("home"))

    assert client.session["_auth_user_id"] == str(role_users["driver"].pk)


def test_activity_keeps_pushing_the_idle_limit_back(client, role_users, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(role_users["manager"])
    client.get(reverse("home"))
    _idle_for(client, 20)
    client.get(reverse("home"))  # seen again: the idle clock restarts
    before = client.session[LAST_SEEN_KEY]

    assert int(timezone.now().timestamp()) - before <= 1
    assert client.get(reverse("home")).status_code == 200


def test_a_session_ends_a_working_day_after_sign_in_however_busy(client, role_users, settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 10 * 3600
    client.force_login(role_users["manager"])
    signed_in = timezone.now()
    client.get(reverse("home"))
    # Three hours of work later a request writes the session again; that must not push the end back.
    later = signed_in + dt.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _idle_for(client, 2)
    client.get(reverse("home"))

    expiry = client.session.get_expiry_date()

    assert abs(expiry - (signed_in + dt.timedelta(hours=10))) < dt.timedelta(seconds=5)


def test_the_settings_give_a_working_day_and_half_an_hour_idle_by_default():
    from django.conf import settings

    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_MINUTES) == (36000, 30)
