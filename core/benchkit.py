"""What every benchmark needs: a throwaway database, Django set up on it, and a results file per database.

Imports no Django at module level: a benchmark calls `django_setup` once it has chosen its database."""

import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _postgres_run(url: str, sql: str) -> None:
    import psycopg

    server = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql)


def throwaway_database(name: str) -> tuple[str, str, Callable[[], None]]:
    """(label, URL, cleanup) of an empty database called `name` on DATABASE_URL's server, or a temporary SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        _postgres_run(url, drop)
        _postgres_run(url, f"CREATE DATABASE {name}")
        return "PostgreSQL", urlunsplit(urlsplit(url)._replace(path=f"/{name}")), lambda: _postgres_run(url, drop)
    handle, path = tempfile.mkstemp(prefix=f"{name}_", suffix=".sqlite3")
    os.close(handle)
    return "SQLite", f"sqlite:///{path}", lambda: Path(path).unlink(missing_ok=True)


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # test Client's host and no HTTPS redirect
    os.environ["GEOCODER"] = ""  # the street table only: a benchmark never calls an online service
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log: it would slow the timed code down
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Django set up on a throwaway database for the `with` block, dropped afterwards; yields its label."""
    label, url, cleanup = throwaway_database(name)
    try:
        django_setup(url)
        yield label
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()  # PostgreSQL will not drop a database with open sessions
        cleanup()


def server_version(label: str) -> str:
    from django.db import connection

    if label == "PostgreSQL":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def results_write(file_name: str, *, title: str, command: str, label: str, section: str) -> None:
    """Replace this database's section of benchmarks/<file_name> and keep the others."""
    path = RESULTS_DIR / file_name
    sections: dict[str, str] = {}
    if path.exists():
        for chunk in re.split(r"(?m)^(?=## )", path.read_text()):
            if chunk.startswith("## "):
                sections[chunk.splitlines()[0][3:].strip()] = chunk.rstrip() + "\n"
    sections[label] = section
    header = f"# {title}\n\nWritten by `{command}` (`make bench`); one section per database.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "".join(f"\n{sections[key]}" for key in sorted(sections)))
