"""Schemathesis with every role's token: each operation, called on real objects by each role, answers without a
5xx and as the schema documents (status code, content type, body), whether the role gets the object, a refusal, or
a 400 for the empty body; and each role sees only what it may.

The manager's fuzzing run (test_schemathesis.py) sends many generated requests with one token; this one sends one
request per operation and role, built by hand, so that the allowed roles reach real objects rather than 404s:
about 300 requests, a few seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from core.roles import INTAKE_OPERATOR, MANAGER, ROLE_PERMISSIONS, SOCIAL_WORKER
from core.tests.factories import tomorrow
from delivery.models import Stop
from inventory.models import StockAlert, StockMovement
from inventory.tests.factories import SupplierFactory
from requests_intake.tests.factories import HouseholdMemberFactory
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MISSING = 999999


def _live_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_live_schema())
schema.app = application
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the connection around each request; inside a test that would end its transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def ids(role_users) -> dict[str, int]:
    """One real object of every resource, by the path segment that names it."""
    stop: Stop = planned_stop(role_users)
    order = stop.order
    HouseholdMemberFactory(household=order.household)
    order.household.vulnerabilities = ["disability"]
    order.household.save(update_fields=["vulnerabilities"])
    movement = StockMovement.objects.filter(lot__isnull=False).first()
    alert = StockAlert.objects.create(
        kind=StockAlert.Kind.values[0],
        key="schemathesis",
        item=movement.lot.item,
        warehouse=movement.lot.warehouse,
        on_date=tomorrow(),
        quantity=1,
        last_seen=timezone.now(),
    )
    return {
        "households": order.household_id,
        "requests": order.plan.request_id,
        "plans": order.plan_id,
        "orders": order.pk,
        "packs": order.lines.first().pack_id,
        "planning-runs": stop.round.run_id,
        "rounds": stop.round_id,
        "stops": stop.pk,
        "suppliers": SupplierFactory().pk,
        "alerts": alert.pk,
        "items": movement.lot.item_id,
        "lots": movement.lot_id,
        "movements": movement.pk,
    }


def _case(operation, ids: dict[str, int]):
    segments = operation.path.strip("/").split("/")
    kwargs = {}
    if "{id}" in segments:
        kwargs["path_parameters"] = {"id": ids.get(segments[segments.index("{id}") - 1], MISSING)}
    if operation.path.endswith("/orders/export/"):
        kwargs["query"] = {"date_from": tomorrow().isoformat(), "date_to": tomorrow().isoformat()}
    if operation.path.endswith("/import/"):
        content = b"sku;name;category;weight_kg;volume_l\r\nNEW;Nuevo;food;1;1\r\n"
        kwargs.update(body={"file": content, "dry_run": "true"}, media_type="multipart/form-data")
    elif operation.method.upper() in ("POST", "PUT", "PATCH") and operation.body:
        kwargs.update(body={}, media_type="application/json")
    return operation.Case(**kwargs)


def test_every_role_gets_a_documented_answer_from_every_operation(role_users, ids):
    headers = {
        role: {"Authorization": f"Token {Token.objects.create(user=user).key}"} for role, user in role_users.items()
    }
    failures, answered = [], {}
    for operation in OPERATIONS:
        for role in ROLE_PERMISSIONS:
            case = _case(operation, ids)
            response = case.call(headers=headers[role])
            answered[role, operation.method.upper(), operation.path] = response
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as failure:  # every failure is listed, not the first only
                failures.append(f"{role} {operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n\n".join(failures)

    # Each role sees only what it may: vulnerability only to social workers and managers; a refusal is a 403.
    household = "/api/v1/households/{id}/"
    for role in (INTAKE_OPERATOR, SOCIAL_WORKER, MANAGER):
        seen = answered[role, "GET", household].json()
        assert ("vulnerabilities" in seen) == (role != INTAKE_OPERATOR), role
    assert answered["driver", "GET", household].status_code == 403
    assert {
        role
        for role in ROLE_PERMISSIONS
        if answered[role, "POST", "/api/v1/catalogue/items/import/"].status_code == 200
    } == {"supplier_coordinator"}
