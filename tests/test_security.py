"""Security promises: sign-in lockout, strong passwords, API tokens that open only what the role opens, and the
gateway webhook's rate limit."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import DRIVER as D
from core.roles import INTAKE_OPERATOR as OP
from core.roles import LOGISTICS_PLANNER as P
from core.roles import MANAGER as M
from core.roles import SOCIAL_WORKER as S
from core.roles import SUPPLIER_COORDINATOR as C
from core.tests.factories import UserFactory
from requests_intake.models import AidRequest, RequestMessage
from tests.test_role_matrix import MATRIX

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "secret-pass-123"  # the factories' password
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


# --- sign-in lockout ---------------------------------------------------------------------------------------------


def _sign_in(client, username: str, password: str, address: str = HERE):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username: str, times: int, address: str = HERE):
    for _ in range(times):
        response = _sign_in(client, username, "not-the-password", address)
    return response


def test_the_right_password_signs_in(client):
    UserFactory(username="ana")

    response = _sign_in(client, "ana", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_four_wrong_passwords_do_not_lock_the_account(client):
    UserFactory(username="ana")
    _fail(client, "ana", 4)

    assert _sign_in(client, "ana", PASSWORD).status_code == 302


def test_five_wrong_passwords_lock_the_account_even_with_the_right_password(client):
    UserFactory(username="ana")

    fifth = _fail(client, "ana", 5)
    response = _sign_in(client, "ana", PASSWORD)

    assert fifth.status_code == 429
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_says_what_happened_and_for_how_long(client):
    UserFactory(username="ana")
    _fail(client, "ana", 5)

    response = _sign_in(client, "ana", PASSWORD)

    page = response.content.decode()
    assert "Sign-in locked for a while" in page
    assert "The password was wrong 5 times in a row for this user from this computer." in page
    assert "stopped for 30 minutes, even with the right password" in page
    assert 'name="password"' not in page


def test_a_success_before_the_limit_starts_the_count_again(client):
    UserFactory(username="ana")
    _fail(client, "ana", 4)
    assert _sign_in(client, "ana", PASSWORD).status_code == 302
    client.logout()

    _fail(client, "ana", 4)

    assert _sign_in(client, "ana", PASSWORD).status_code == 302


def test_the_lock_holds_until_the_cool_off_has_passed(client):
    UserFactory(username="ana")
    _fail(client, "ana", 5)
    # Time travel: the failures happened 29 minutes ago.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=29))

    assert _sign_in(client, "ana", PASSWORD).status_code == 429


def test_the_lock_lifts_after_thirty_minutes(client):
    UserFactory(username="ana")
    _fail(client, "ana", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=31))

    assert _sign_in(client, "ana", PASSWORD).status_code == 302


def test_an_administrator_can_unlock_sooner(client):
    UserFactory(username="ana")
    _fail(client, "ana", 5)

    call_command("axes_reset_username", "ana", stdout=io.StringIO())

    assert _sign_in(client, "ana", PASSWORD).status_code == 302


def test_another_user_at_the_same_computer_still_signs_in(client):
    UserFactory(username="ana")
    UserFactory(username="luis")
    _fail(client, "ana", 5)

    assert _sign_in(client, "luis", PASSWORD).status_code == 302


def test_the_same_user_from_another_address_still_signs_in(client):
    UserFactory(username="ana")
    _fail(client, "ana", 5)

    assert _sign_in(client, "ana", PASSWORD, address=ELSEWHERE).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_locked(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ana")
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "ana", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=HERE,
        )

    from_proxy_for_someone_else = client.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )

    assert from_proxy_for_someone_else.status_code == 302
    assert AccessAttempt.objects.get().ip_address == HERE


def test_signing_in_with_force_login_is_not_counted(client, role_users):
    client.force_login(role_users["manager"])

    assert client.get(reverse("home")).status_code == 200
    assert AccessAttempt.objects.count() == 0


def _manage_check(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT=0 must be at least 1."),
        ("LOGIN_LOCKOUT_MINUTES", "soon", "LOGIN_LOCKOUT_MINUTES='soon' is not a whole number."),
        ("PASSWORD_MIN_LENGTH", "8", "PASSWORD_MIN_LENGTH=8 must be at least 12."),
        ("WEBHOOK_RATE_PER_MINUTE", "0", "WEBHOOK_RATE_PER_MINUTE=0 must be at least 1."),
    ],
)
def test_a_bad_security_setting_stops_the_start(name, value, message):
    result = _manage_check(**{name: value})

    assert result.returncode != 0
    assert message in result.stderr


# --- passwords ---------------------------------------------------------------------------------------------------


def _refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [error.code for error in exc.error_list]
    return []


def test_a_long_uncommon_password_is_accepted():
    assert _refusals("tortilla-verde-en-marzo") == []


def test_a_password_of_eleven_characters_is_refused():
    assert _refusals("tRu8#kLm2qz") == ["password_too_short"]


def test_a_password_of_twelve_characters_is_enough():
    assert _refusals("tRu8#kLm2qzW") == []


def test_a_common_password_is_refused():
    assert "password_too_common" in _refusals("qwerty123456")


def test_a_password_of_digits_only_is_refused():
    assert "password_entirely_numeric" in _refusals("738492017364")


def test_a_password_like_the_user_name_is_refused():
    user = UserFactory.build(username="mariaperezgomez", first_name="María", last_name="Pérez")

    assert "password_too_similar" in _refusals("mariaperezgomez1", user)


# --- API tokens and the API role matrix --------------------------------------------------------------------------

GATEWAY = "gateway"
# (url name, method): who gets past the permission check. Reading needs the role's view permission, as the pages.
API_MATRIX = {
    ("api_stock", "get"): {P, C, M},
    ("api_item-list", "get"): {P, C, M},
    ("api_item-detail", "get"): {P, C, M},
    ("api_item-detail", "patch"): {C},
    ("api_lot-list", "get"): {P, C, M},
    ("api_lot-detail", "get"): {P, C, M},
    ("api_movement-list", "get"): {P, C, M},
    ("api_movement-detail", "get"): {P, C, M},
    ("api_purchase_order-list", "get"): {P, C, M},
    ("api_purchase_order-list", "post"): {C},
    ("api_purchase_order-detail", "get"): {P, C, M},
    # Gateways only: intake operators add messages on the pages, but their tokens are not a gateway's.
    ("api_intake_messages", "post"): {GATEWAY},
    ("api_intake_receipts", "post"): {GATEWAY},
}


# The schema and its two readers answer anyone signed in or holding a token (api/tests/test_resources.py).
API_DOCS = {"api_schema", "api_docs", "api_redoc"}


def _api_patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            # /api/v1/ has a matrix of its own, one role per token: api/tests/test_role_matrix_api.py.
            if not route.startswith("api/v1/"):
                yield from _api_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name and prefix.startswith("api/"):
            yield pattern


API_PATTERNS = {pattern.name: pattern for pattern in _api_patterns(get_resolver().url_patterns)}


def _api_url(name: str) -> str:
    # The router's patterns are regular expressions: their named groups are the arguments.
    return reverse(name, kwargs={group: 999999 for group in API_PATTERNS[name].pattern.regex.groupindex})


def _token(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def tokens(role_users) -> dict[str, str]:
    keys = {role: _token(user.username) for role, user in role_users.items()}
    out = io.StringIO()
    call_command("gateway_token", "sms-gateway", stdout=out, stderr=io.StringIO())
    keys[GATEWAY] = out.getvalue().strip()
    return keys


def test_every_api_endpoint_is_in_the_api_matrix():
    assert set(API_PATTERNS) - API_DOCS == {name for name, _method in API_MATRIX}


@pytest.mark.parametrize(("name", "method"), sorted(API_MATRIX))
def test_each_token_gets_in_only_where_its_role_does(tokens, name, method):
    url = _api_url(name)
    seen = {who: getattr(_token_client(key), method)(url, {}, format="json").status_code for who, key in tokens.items()}

    assert {who for who, status in seen.items() if status not in (401, 403)} == API_MATRIX[(name, method)], seen
    assert {status for who, status in seen.items() if who not in API_MATRIX[(name, method)]} <= {403}


@pytest.mark.parametrize(("name", "method"), sorted(API_MATRIX))
def test_no_endpoint_answers_without_a_token(name, method):
    response = getattr(APIClient(), method)(_api_url(name), {}, format="json")

    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("api", "page"),
    [
        (("api_stock", "get"), "stock"),
        (("api_lot-detail", "get"), "lot_detail"),
        (("api_purchase_order-list", "get"), "purchase_orders"),
        (("api_purchase_order-list", "post"), "purchase_order_new"),
    ],
)
def test_the_api_opens_to_the_same_roles_as_the_page(api, page):
    assert API_MATRIX[api] == MATRIX[page][1]


def test_a_drivers_token_reads_no_stock_and_posts_no_message(tokens):
    driver = _token_client(tokens[D])

    assert driver.get(_api_url("api_stock")).status_code == 403
    assert driver.get(_api_url("api_lot-list")).status_code == 403
    assert driver.post(_api_url("api_intake_messages"), {}, format="json").status_code == 403
    assert AidRequest.objects.count() == 0


def test_a_social_workers_token_reads_no_stock(tokens):
    assert _token_client(tokens[S]).get(_api_url("api_stock")).status_code == 403


def test_api_token_prints_the_same_token_until_rotated(role_users):
    first = _token("logistics_planner")

    assert _token("logistics_planner") == first
    assert Token.objects.get(user=role_users["logistics_planner"]).key == first


def test_a_rotated_token_replaces_the_old_one(role_users):
    old = _token("manager")

    new = _token("manager", "--rotate")

    assert new != old
    assert _token_client(old).get(_api_url("api_stock")).status_code == 401
    assert _token_client(new).get(_api_url("api_stock")).status_code == 200


def test_a_revoked_token_stops_working(role_users):
    key = _token("manager")

    assert _token("manager", "--revoke") == ""

    assert Token.objects.filter(user=role_users["manager"]).count() == 0
    assert _token_client(key).get(_api_url("api_stock")).status_code == 401


def test_revoking_a_token_that_does_not_exist_says_so(role_users):
    with pytest.raises(CommandError, match="has no API token; nothing was revoked"):
        _token("manager", "--revoke")


@pytest.mark.parametrize(
    ("make_user", "message"),
    [
        (lambda: None, "There is no user nobody."),
        (lambda: UserFactory(username="nobody", is_superuser=True), "is a superuser"),
        (lambda: UserFactory(username="nobody"), "has no role, so a token would open nothing"),
        (lambda: UserFactory(username="nobody", is_active=False), "is inactive"),
    ],
)
def test_api_token_refuses_accounts_that_should_not_hold_one(role_users, make_user, message):
    make_user()

    with pytest.raises(CommandError, match=message):
        _token("nobody")

    assert Token.objects.count() == 0


def test_api_token_refuses_a_gateway_account(tokens):
    with pytest.raises(CommandError, match="is a gateway; use"):
        _token("sms-gateway")


# --- the gateway webhook's rate limit ----------------------------------------------------------------------------


def _message(number: int) -> dict:
    return {"channel": "sms", "contact": "600 11 12 22", "body": "Necesito comida", "external_id": f"sms.{number}"}


@pytest.fixture
def gateway(tokens) -> APIClient:
    return _token_client(tokens[GATEWAY])


def test_calls_over_the_minutes_limit_get_429_in_json_and_store_nothing(settings, gateway):
    settings.WEBHOOK_RATE_PER_MINUTE = 2
    url = _api_url("api_intake_messages")
    assert [gateway.post(url, _message(n), format="json", REMOTE_ADDR=HERE).status_code for n in (1, 2)] == [201, 201]

    response = gateway.post(url, _message(3), format="json", REMOTE_ADDR=HERE)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Too many calls from this address; nothing was stored. Send again in")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert RequestMessage.objects.count() == 2


def test_wrong_tokens_count_towards_the_limit(settings, gateway):
    settings.WEBHOOK_RATE_PER_MINUTE = 2
    url = _api_url("api_intake_messages")
    stranger = _token_client("0" * 40)
    assert [stranger.post(url, _message(n), format="json", REMOTE_ADDR=HERE).status_code for n in (1, 2)] == [401, 401]

    assert gateway.post(url, _message(3), format="json", REMOTE_ADDR=HERE).status_code == 429
    assert AidRequest.objects.count() == 0


def test_another_address_has_its_own_limit(settings, gateway):
    settings.WEBHOOK_RATE_PER_MINUTE = 1
    url = _api_url("api_intake_messages")
    assert gateway.post(url, _message(1), format="json", REMOTE_ADDR=HERE).status_code == 201

    assert gateway.post(url, _message(2), format="json", REMOTE_ADDR=ELSEWHERE).status_code == 201
    assert gateway.post(url, _message(3), format="json", REMOTE_ADDR=HERE).status_code == 429


# --- the webhook belongs to gateways -----------------------------------------------------------------------------


def test_an_intake_operators_token_is_refused_by_the_webhook_and_stores_nothing(tokens):
    operator = _token_client(tokens[OP])

    response = operator.post(_api_url("api_intake_messages"), _message(1), format="json", REMOTE_ADDR=HERE)

    assert response.status_code == 403
    assert AidRequest.objects.count() == 0
    assert RequestMessage.objects.count() == 0


def test_a_gateway_token_is_accepted_by_the_webhook(gateway):
    response = gateway.post(_api_url("api_intake_messages"), _message(1), format="json", REMOTE_ADDR=HERE)

    assert response.status_code == 201
    assert RequestMessage.objects.get().external_id == "sms.1"


def test_no_role_holds_the_gateway_permission():
    from core.roles import ROLE_PERMISSIONS

    assert [role for role, codes in ROLE_PERMISSIONS.items() if "requests_intake.post_gateway_messages" in codes] == []


def test_the_gateway_group_holds_only_the_gateway_permission(tokens):
    from django.contrib.auth.models import Group

    codes = Group.objects.get(name=GATEWAY).permissions.values_list("content_type__app_label", "codename")

    assert list(codes) == [("requests_intake", "post_gateway_messages")]
