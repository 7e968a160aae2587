"""Every v1 endpoint, for every role's own token: who gets in and who gets 403 (the pages' permissions).

Objects are looked up after the permission check, so an allowed role gets 404 or 400 here and a refused one 403."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import DRIVER as D
from core.roles import INTAKE_OPERATOR as OP
from core.roles import LOGISTICS_PLANNER as P
from core.roles import MANAGER as M
from core.roles import SOCIAL_WORKER as S
from core.roles import SUPPLIER_COORDINATOR as C

pytestmark = pytest.mark.django_db

# (method, path): roles allowed
MATRIX = {
    ("get", "households/"): {OP, S, M},
    ("post", "households/"): {OP},
    ("get", "households/999999/"): {OP, S, M},
    ("get", "requests/"): {OP, S, M},
    ("post", "requests/"): {OP},
    ("get", "requests/999999/"): {OP, S, M},
    ("post", "requests/999999/approve/"): {S},
    ("post", "requests/999999/reject/"): {S},
    ("post", "requests/999999/refer/"): {S},
    ("post", "requests/999999/ask-information/"): {S},
    ("get", "plans/"): {S, M},
    ("get", "plans/999999/"): {S, M},
    ("get", "orders/"): {P, M},
    ("get", "orders/999999/"): {P, M},
    ("post", "orders/999999/reschedule/"): {P, S},
    ("post", "orders/999999/cancel/"): {P, S},
    ("post", "orders/999999/packs/"): {P, S},
    ("get", "packs/"): {P, C, M, S},  # as the packs' sheet export
    ("get", "packs/999999/"): {P, C, M, S},
    ("get", "pharmacies/"): {P, M, S},  # those who keep them, and social workers, who name one when approving
    ("get", "pharmacies/999999/"): {P, M, S},
    ("get", "planning-runs/"): {P, M},
    ("get", "planning-runs/999999/"): {P, M},
    ("post", "planning-runs/999999/publish/"): {P},
    ("get", "rounds/"): {P, M},
    ("get", "rounds/999999/"): {P, M},
    ("get", "stops/"): {P, M},
    ("get", "stops/999999/"): {P, M},
    ("get", "suppliers/"): {C, M},
    ("get", "suppliers/999999/"): {C, M},
    ("get", "alerts/"): {P, C, M},
    ("get", "alerts/999999/"): {P, C, M},
    ("get", "webhook-deliveries/"): set(),  # the admin's, through Django's admin
    ("get", "webhook-deliveries/999999/"): set(),
    ("post", "webhook-deliveries/999999/replay/"): set(),
    ("get", "inventory/stock/"): {P, C, M},
    ("get", "inventory/items/"): {P, C, M},
    ("get", "inventory/items/999999/"): {P, C, M},
    ("patch", "inventory/items/999999/"): {C},
    ("put", "inventory/items/999999/"): {C},
    ("get", "inventory/lots/"): {P, C, M},
    ("get", "inventory/lots/999999/"): {P, C, M},
    ("get", "inventory/movements/"): {P, C, M},
    ("get", "inventory/movements/999999/"): {P, C, M},
    ("get", "inventory/purchase-orders/"): {P, C, M},
    ("post", "inventory/purchase-orders/"): {C},
    ("get", "inventory/purchase-orders/999999/"): {P, C, M},
    ("post", "intake/messages/"): set(),  # gateways only: a permission no role holds
    ("get", "orders/export/"): {P, M},
    ("get", "catalogue/items/export/"): {P, C, M},
    ("get", "catalogue/packs/export/"): {P, C, M, S},  # social workers read packs (they approve them)
    ("post", "catalogue/items/import/"): {C},
    ("post", "catalogue/packs/import/"): {C},
    ("get", "driver/rounds/"): {D},
    ("post", "driver/sync/"): {D},
    ("get", "figures/"): {M},
}


def _v1_routes() -> set[str]:
    """Every v1 route, as the router wrote it (formats and the catch-all left out)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and pattern.name:
                yield route

    return {r for r in walk(get_resolver().url_patterns) if "<format>" not in r and "schema" not in r}


def test_every_v1_route_is_in_the_matrix():
    covered = {path.replace("999999", "<pk>") for _method, path in MATRIX}
    routes = {re.sub(r"\(\?P<pk>[^)]+\)", "<pk>", route).removeprefix("api/v1/") for route in _v1_routes()}
    routes = {route.replace("^", "").replace("$", "").replace("\\", "") for route in routes}
    assert routes == covered


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_each_roles_token_gets_in_only_where_it_should(role_users, method, path):
    seen = {}
    for role, user in role_users.items():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        seen[role] = getattr(client, method)(f"/api/v1/{path}", {}, format="json").status_code
    assert {role for role, status in seen.items() if status != 403} == MATRIX[(method, path)], seen
    assert all(status != 500 for status in seen.values()), seen


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_a_caller_without_credentials_is_answered_401(method, path):
    assert getattr(APIClient(), method)(f"/api/v1/{path}", {}, format="json").status_code == 401
