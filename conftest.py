"""Shared test setup: Celery runs in-process unless a test asks for the real broker, and service tests never
skip in CI."""

import os

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Enough solutions for the few-stop days of the tests to reach their best plan, in a tenth of a second or so (PyVRP
# gets 40 iterations per solution); 100 already ran PyVRP into the 1 s cap on a dozen stops.
PLANNING_SOLUTION_LIMIT = 20


def service_missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (in CI this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's database setup, with each test database copied from one migrated template
    (tests/database_template.py says why)."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.database_template import migrate_from_template

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), migrate_from_template():
        databases = setup_databases(verbosity=verbosity, interactive=False, serialized_aliases=set())
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture
def migrator(transactional_db):
    """For the tests of a migration: `migrator(("app", "0004_x"), ...)` migrates the test database to those
    migrations (back or forward) and returns the historical models there; `migrator.from_empty(...)` gets there
    from an empty database. Afterwards the database is the migrated template again, whatever the test left."""
    from tests.database_template import restore
    from tests.migrator import Migrator

    yield Migrator()
    restore(connection)


@pytest.fixture(autouse=True)
def _role_groups_back_after_a_flush(request, django_db_blocker):
    """A transactional test ends by emptying every table; the role groups the template held are made again, so the
    tests after it in this process find the database as setup_roles leaves it."""
    yield
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        from core.roles import roles_sync

        with django_db_blocker.unblock():
            roles_sync()


@pytest.fixture(autouse=True)
def _eager_celery(request, settings, tmp_path):
    from django.utils import translation

    from config.celery import app

    # Tests assert the English source strings; test_project checks that Spanish is what users get by default.
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    settings.MANIFEST_DIR = tmp_path / "manifests"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Planning in tests: one search in the test's own process that stops after a number of solutions, so a day
    # always gives the same plan, long before the 1 s cap. Tests about the process pools start them themselves.
    settings.ROUTING_TIME_LIMIT_S = 1
    settings.ROUTING_WORKERS = 1
    settings.ROUTING_SOLUTION_LIMIT = PLANNING_SOLUTION_LIMIT
    # Failed deliveries settle at once unless a test is about the undo time (delivery.services).
    settings.DELIVERY_FAILURE_UNDO_S = 0
    # Taps on the driver's phone are queued at once unless a test is about their undo (test_driver_undo_tap).
    settings.DRIVER_TAP_UNDO_S = 0
    eager = request.node.get_closest_marker("broker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


def broker_required(settings) -> None:
    """Fail in CI (skip on a laptop) unless a real broker is configured and answers."""
    from config.celery import app

    if settings.CELERY_BROKER_URL.startswith("memory://"):
        service_missing("this test needs a real broker: set CELERY_BROKER_URL=redis://… or amqp://…")
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means the service is missing
        service_missing(f"the broker at {settings.CELERY_BROKER_URL} cannot be reached: {exc}")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Six role users per test: the production hasher would spend most of the run hashing their passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _every_day_open(settings):
    # Tests plan "tomorrow", whatever day that is: no weekend or holiday may move their orders. The calendar's
    # tests (logistics/tests/test_calendar.py) switch the real calendar back on.
    settings.PUBLIC_HOLIDAYS = False
    settings.DELIVERY_WEEKDAYS = list(range(7))


@pytest.fixture(autouse=True)
def _require_postgres(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def role_users(db):
    """One user per role, with the role's permissions."""
    from django.contrib.auth.models import Group

    from core.roles import ROLE_PERMISSIONS, roles_sync
    from core.tests.factories import UserFactory

    # The test database holds the role groups (setup_roles ran on its template); a test may have emptied it.
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_PERMISSIONS)}
    if len(groups) < len(ROLE_PERMISSIONS):
        groups = roles_sync()
    users = {}
    for role in ROLE_PERMISSIONS:
        user = UserFactory(username=role)
        user.groups.add(groups[role])
        users[role] = user
    return users


def pytest_collection_modifyitems(config, items):
    """The longest tests first (migrations and the browser), the short ones last: pytest-xdist hands tests out in
    this order, so the two processes end together instead of one running the migration tests alone at the end."""
    items.sort(key=lambda item: 0 if "migrator" in item.fixturenames or item.get_closest_marker("browser") else 1)
    from django.db import connection

    if connection.vendor == "sqlite":
        # The live server shares the test's one in-memory SQLite connection between its thread and the test's: a
        # write from the test while the server still reads a table fails with "database table is locked", a clash
        # of the harness that PostgreSQL (CI's second run) does not have. Only that error runs a browser test again.
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.flaky(reruns=2, only_rerun=["database table is locked"]))
