"""Zone access has one meaning, written once (requests_intake.zone_access): a social worker listed on zones sees
those zones' records and the records not yet placed, in the pages, the API and the lists alike.

Here the services, models and commands, called directly; the pages are tested in test_zone_access_pages.py."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from core.roles import MANAGER
from requests_intake.zone_access import zone_ids_for, zone_open

pytestmark = pytest.mark.django_db


APPS = ("core", "requests_intake", "inventory", "logistics", "delivery", "routing", "reports", "api", "fixtures")


def test_the_rule_opens_the_users_zones_and_unplaced_records_and_everything_to_a_user_on_no_zone():
    assert [zone_open({1, 2}, zone) for zone in (1, 2, 3, None)] == [True, True, False, True]
    assert [zone_open(None, zone) for zone in (1, 3, None)] == [True, True, True]


def test_a_manager_and_a_worker_on_no_zone_see_every_zone_and_a_listed_worker_sees_theirs(role_users, world):
    assert zone_ids_for(role_users[MANAGER]) is None
    world["worker"].zones.clear()
    assert zone_ids_for(world["worker"]) is None
    world["worker"].zones.add(world["mine"])
    assert zone_ids_for(world["worker"]) == {world["mine"].pk}


def _zone_rule_written_outside(path: Path) -> list[str]:
    """Places in one module that read a user's zones or compare a zone with them, instead of asking zone_access."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "zones" and isinstance(node.value, ast.Name):
            if node.value.id in {"user", "actor", "worker"}:
                found.append(f"{path}:{node.lineno} reads {node.value.id}.zones")
        if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("zone__in"):
            found.append(f"{path}:{node.lineno} filters {node.arg}")
    return found


def test_no_module_writes_the_zone_rule_again():
    root = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.parts) or path.name == "zone_access.py":
                continue
            found += _zone_rule_written_outside(path)
    assert found == []
