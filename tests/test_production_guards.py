"""Production answers a load balancer's plain-http probe, and never gets the demo's published accounts by mistake."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from requests_intake.models import Household

pytestmark = pytest.mark.django_db


def test_health_answers_a_plain_http_probe_under_the_tls_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_every_other_page_still_redirects_plain_http_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/accounts/login/")

    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/login/"


def test_seed_demo_refuses_a_production_database_and_loads_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG is off, so this looks like a production database"):
        call_command("seed_demo", stdout=io.StringIO())

    assert get_user_model().objects.count() == 0
    assert Household.objects.count() == 0


def test_seed_demo_loads_in_development(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=io.StringIO())

    assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1
    assert Household.objects.count() == 150


def test_seed_demo_loads_a_production_database_only_when_forced(settings):
    settings.DEBUG = False
    out = io.StringIO()

    call_command("seed_demo", "--force", stdout=out)

    assert Household.objects.count() == 150
    assert "Demo town loaded." in out.getvalue()
