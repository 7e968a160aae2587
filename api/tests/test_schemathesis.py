"""Schemathesis against the live schema, through the WSGI app, with a manager's token: every operation answers
without a 5xx, in the content type, status codes and body shapes the schema documents.

Bounded for `make test`: every operation, each with a few fuzzed requests, valid and invalid
(SCHEMATHESIS_MAX_EXAMPLES, 3 unless set), and the coverage phase's valid boundaries: each enum value, each length
and range limit (SCHEMATHESIS_COVERAGE=positive). A deeper run sets SCHEMATHESIS_COVERAGE=all for the invalid
boundaries too (some 2,000 more requests, a minute on SQLite) and more examples. No deadline: the first request of a
worker warms up."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.env import env_int
from core.roles import MANAGER

MAX_EXAMPLES = env_int("SCHEMATHESIS_MAX_EXAMPLES", 3)
if MAX_EXAMPLES < 1:
    raise ValueError(f"SCHEMATHESIS_MAX_EXAMPLES={MAX_EXAMPLES} must be at least 1.")
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "positive")
if COVERAGE not in ("positive", "all"):
    raise ValueError(f"SCHEMATHESIS_COVERAGE={COVERAGE!r} must be positive or all.")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the real WSGI handler, which closes the database connection around each request (as it
    should in production); inside a test that would close the test's transaction. Django's test client unhooks
    the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def manager_headers(role_users) -> dict:
    return {"Authorization": f"Token {Token.objects.create(user=role_users[MANAGER]).key}"}


def _live_schema() -> dict:
    """The schema the app serves at /api/schema/, generated as that view does (no request, so no database)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


# Loaded at collection, not through a fixture: schemathesis' lazy fixture loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(
    _live_schema(), config=SchemathesisConfig.from_dict({"phases": {"coverage": {"generation": {"mode": COVERAGE}}}})
)
schema.app = application


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_its_schema_says(case, manager_headers):
    case.call_and_validate(headers=manager_headers, checks=CHECKS)
