"""Behind our proxies every limit counts by the visitor's own address, taken from X-Forwarded-For only as far as
TRUSTED_PROXY_COUNT vouches for it; without the setting the header is ignored, and `check --deploy` says so."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from core.checks import PROXY_WITHOUT_COUNT, proxy_count_check
from core.security import client_address
from core.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
NGINX = "127.0.0.1"  # gunicorn's peer: the proxy on the same machine
BALANCER = "10.0.0.2"  # what nginx appends behind a load balancer
ANA, LUIS = "203.0.113.7", "198.51.100.9"
PASSWORD = "secret-pass-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _address(forwarded_for: str | None, remote: str = NGINX) -> str:
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_the_setting_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert _address(ANA) == NGINX


def test_behind_nginx_the_client_is_the_entry_nginx_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(ANA) == ANA


def test_an_address_the_client_wrote_itself_is_never_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(f"{LUIS}, {ANA}") == ANA


def test_behind_a_load_balancer_and_nginx_the_client_is_two_entries_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert _address(f"{LUIS}, {ANA}, {BALANCER}") == ANA


def test_a_request_that_skipped_the_load_balancer_counts_as_whoever_reached_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert _address(ANA) == ANA


def test_without_the_header_the_connection_address_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(None) == NGINX


def test_a_forwarded_entry_that_is_not_an_address_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("unknown") == NGINX


def _submit(client, forwarded_for: str, phone: str):
    answers = {
        "given_name": "Ana",
        "family_name": "Ruiz",
        "phone": phone,
        "address": "Calle Mayor 7",
        "postcode": "30201",
        "municipality": "Cartagena",
        "needs": ["food"],
        "language": "es",
        "preferred_channel": "sms",
        "consent": "on",
        "website": "",
    }
    return client.post(reverse("webform_request"), answers, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.django_db
def test_behind_a_proxy_two_visitors_of_the_public_form_are_limited_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.WEBFORM_RATE_PER_HOUR = 1
    assert _submit(client, ANA, "600111222").status_code == 302

    assert _submit(client, LUIS, "600111333").status_code == 302
    assert _submit(client, ANA, "600111444").status_code == 429


@pytest.mark.django_db
def test_without_the_setting_visitors_behind_a_proxy_share_one_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.WEBFORM_RATE_PER_HOUR = 1
    assert _submit(client, ANA, "600111222").status_code == 302

    assert _submit(client, LUIS, "600111333").status_code == 429


def _sign_in(client, forwarded_for: str, password: str):
    return client.post(
        reverse("login"),
        {"username": "ana", "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_two_proxies_a_lockout_from_one_visitor_leaves_another_free(client, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    UserFactory(username="ana")
    for _ in range(5):
        _sign_in(client, f"{ANA}, {BALANCER}", "wrong")

    assert _sign_in(client, f"{LUIS}, {BALANCER}", PASSWORD).status_code == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ANA]


@pytest.mark.django_db
def test_a_forged_header_without_the_setting_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="ana")
    for _ in range(5):
        _sign_in(client, ANA, "wrong")

    assert _sign_in(client, LUIS, PASSWORD).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [NGINX]


def test_the_deploy_check_warns_behind_a_tls_proxy_without_the_proxy_count(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0

    assert [warning.id for warning in proxy_count_check(None)] == [PROXY_WITHOUT_COUNT]


def test_the_deploy_check_warns_when_forwarded_hosts_are_used_without_the_proxy_count(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = True
    settings.TRUSTED_PROXY_COUNT = 0

    assert [warning.id for warning in proxy_count_check(None)] == [PROXY_WITHOUT_COUNT]


def test_the_deploy_check_is_quiet_with_the_proxy_count_set(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1

    assert proxy_count_check(None) == []


def test_the_deploy_check_is_quiet_without_a_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = False
    settings.TRUSTED_PROXY_COUNT = 0

    assert proxy_count_check(None) == []


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    production = {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 60 + "abcdefghijk", "ALLOWED_HOSTS": "reparto.example.org"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **production, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_fails_behind_a_tls_proxy_until_the_proxy_count_is_set():
    without = _manage("check", "--deploy", "--fail-level", "WARNING", BEHIND_TLS_PROXY="1")
    with_count = _manage("check", "--deploy", "--fail-level", "WARNING", BEHIND_TLS_PROXY="1", TRUSTED_PROXY_COUNT="1")

    assert without.returncode == 1
    assert f"({PROXY_WITHOUT_COUNT})" in without.stderr
    assert with_count.returncode == 0, with_count.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 must be between 0 and 5."),
        ({"TRUSTED_PROXY_COUNT": "two"}, "TRUSTED_PROXY_COUNT='two' is not a whole number."),
        ({"WEBFORM_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"}, "WEBFORM_CLIENT_IP_HEADER is replaced by"),
    ],
)
def test_a_bad_proxy_setting_stops_the_start(env, message):
    result = _manage("check", **env)

    assert result.returncode == 1
    assert message in result.stderr
