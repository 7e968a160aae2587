"""Test databases copied from one migrated template instead of migrated in every test process.

Migrating Reparto from nothing costs about 25 s of CPU on SQLite (every AlterField rebuilds a table), and pytest-xdist
pays it once per worker, every run: on this 2-core machine that was the largest single cost of `make test` and of
every one-file run a developer makes. Here the first process to need a database migrates a template once (keyed by
the migration files, so a changed or added migration builds a new one), and every test database is then a copy:
SQLite's online backup into the in-memory test database, PostgreSQL's `CREATE DATABASE … TEMPLATE`. Both are what
the databases offer for copying; no library does this for pytest-django, so it is written here.

The template is made by `manage.py migrate` and `manage.py setup_roles` in a child process, exactly as a deployment
is set up, so what the tests run on is what those build: data migrations, PostgreSQL-only SQL, post_migrate
permissions and the role groups included.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "var" / "test-templates"


def migrations_key(engine: str) -> str:
    """A digest of the database engine, of every installed app's migration files (Reparto's, Django's and the
    libraries') and of the roles, so a new or edited migration, an upgraded library or a role's new permission
    builds a new template."""
    from django.apps import apps

    digest = hashlib.sha256(engine.encode())
    digest.update((ROOT / "core" / "roles.py").read_bytes())
    for config in apps.get_app_configs():
        for path in sorted(Path(config.path, "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str):
    """One process builds a template while the others (xdist workers, parallel runs) wait for it."""
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    with (TEMPLATE_DIR / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate_in_child(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for command in (["migrate", "--verbosity", "0"], ["setup_roles"]):
        manage = [sys.executable, str(ROOT / "manage.py"), *command]
        subprocess.run(manage, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def _sqlite_template(key: str) -> Path:
    path = TEMPLATE_DIR / f"sqlite-{key}.sqlite3"
    with _locked("sqlite"):
        if not path.exists():
            for old in TEMPLATE_DIR.glob("sqlite-*.sqlite3*"):
                old.unlink()
            building = path.with_suffix(".building")
            building.unlink(missing_ok=True)
            _migrate_in_child(f"sqlite:///{building}")
            building.rename(path)
    return path


def _postgres_admin(settings_dict: dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def _postgres_template(settings_dict: dict, key: str) -> str:
    name = f"reparto_template_{key}"
    with _locked("postgres"), _postgres_admin(settings_dict) as admin:
        rows = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'reparto_template_%%'").fetchall()
        existing = {row[0] for row in rows}
        if name not in existing:
            for old in existing:
                admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
            building = f"{name}_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
            admin.execute(f'CREATE DATABASE "{building}"')
            user = settings_dict.get("USER") or ""
            auth = f"{user}:{settings_dict.get('PASSWORD')}" if settings_dict.get("PASSWORD") else user
            host = f"{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}"
            _migrate_in_child(f"postgres://{auth}@{host}/{building}")
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


@contextlib.contextmanager
def migrate_from_template():
    """While test databases are created, their `migrate` step copies the template instead."""
    from django.core import management
    from django.db import connections

    original = management.call_command

    def call_command(command_name, *args, **options):
        if command_name == "migrate" and not args and options.get("database"):
            restore(connections[options["database"]])
            return None
        return original(command_name, *args, **options)

    with mock.patch.object(management, "call_command", call_command):
        yield


def restore(connection) -> None:
    """Put the migrated template back in place of the test database: how a migration test ends, instead of
    migrating forward again from wherever it left the schema (the slowest part of those tests on SQLite)."""
    from django.contrib.contenttypes.models import ContentType

    key = migrations_key(connection.vendor)
    if connection.vendor == "sqlite":
        source = sqlite3.connect(_sqlite_template(key))
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        template = _postgres_template(connection.settings_dict, key)
        name = connection.settings_dict["NAME"]
        connection.close()
        with _postgres_admin(connection.settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    ContentType.objects.clear_cache()
