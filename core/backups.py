"""Backups that restore: pg_dump/pg_restore for PostgreSQL, the SQLite online-backup API for a small town's file,
and the proof-of-delivery files beside them. The drill restores into a fresh database and compares."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from time import monotonic

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _


def _is_postgres(db: dict) -> bool:
    return db["ENGINE"].endswith("postgresql")


def _pg_args(db: dict, name: str | None = None) -> tuple[list[str], dict]:
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", name or db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def backup(target_dir: Path) -> list[Path]:
    """Write the database (and the media files, if any) to `target_dir`; returns the files written."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    db = settings.DATABASES["default"]
    written = []
    if _is_postgres(db):
        path = target_dir / f"reparto-{stamp}.dump"
        args, env = _pg_args(db)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env=env, check=True)
    else:
        path = target_dir / f"reparto-{stamp}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            # The online-backup API copies a consistent snapshot even while the app is writing.
            connection.connection.backup(copy)
    written.append(path)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        archive = target_dir / f"reparto-{stamp}-media.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media, arcname="media")
        written.append(archive)
    return written


def restore(path: Path, *, database: str | None = None) -> None:
    """Load a backup into the configured database (or the PostgreSQL database named `database`), replacing it."""
    db = settings.DATABASES["default"]
    if path.suffix == ".dump":
        if not _is_postgres(db):
            raise ValueError(_("A .dump file restores into PostgreSQL: set DATABASE_URL."))
        args, env = _pg_args(db, database)
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args, str(path)],
            env=env,
            check=True,
        )
    elif path.suffix == ".sqlite3":
        if _is_postgres(db):
            raise ValueError(_("A .sqlite3 file restores into the SQLite setup: unset DATABASE_URL."))
        connection.close()
        shutil.copyfile(path, database or db["NAME"])
    else:
        raise ValueError(_("%(name)s is not a Reparto backup (.dump or .sqlite3).") % {"name": path.name})
    media_archive = path.with_name(path.stem + "-media.tar.gz")
    if media_archive.exists() and database is None:
        with tarfile.open(media_archive) as tar:
            tar.extractall(Path(settings.MEDIA_ROOT).parent, filter="data")


def table_counts_sql() -> str:
    """Rows of every Reparto table, as one query that runs the same on both databases."""
    tables = sorted(
        model._meta.db_table for model in apps.get_models() if model._meta.managed and not model._meta.proxy
    )
    return " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)


def counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(table_counts_sql())
        return dict(cursor.fetchall())


def drill(work_dir: Path) -> dict:
    """Back up, restore into a fresh database, and compare every table's rows; then check the restored ledger."""
    import psycopg

    started = monotonic()
    files = backup(work_dir)
    backed_up = monotonic()
    before = counts_here()
    db = settings.DATABASES["default"]
    check_env = dict(os.environ)
    if _is_postgres(db):
        fresh = f"{db['NAME']}_restore_drill"
        admin = f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
        with psycopg.connect(f"{admin}/postgres", autocommit=True, password=db.get("PASSWORD") or None) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            conn.execute(f'CREATE DATABASE "{fresh}"')
        restore(files[0], database=fresh)
        with psycopg.connect(f"{admin}/{fresh}", password=db.get("PASSWORD") or None) as conn:
            after = dict(conn.execute(table_counts_sql()).fetchall())
        check_env["DATABASE_URL"] = f"{admin}/{fresh}"
    else:
        fresh = str(work_dir / "restore-drill.sqlite3")
        shutil.copyfile(files[0], fresh)
        with sqlite3.connect(fresh) as conn:
            after = dict(conn.execute(table_counts_sql()).fetchall())
        check_env["DATABASE_URL"] = f"sqlite:///{fresh}"
    restored = monotonic()
    # check_stock in its own process, on the restored database: every lot's balance equals its ledger.
    check = subprocess.run(
        [sys.executable, "manage.py", "check_stock"],
        env=check_env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    return {
        "files": files,
        "backup_seconds": backed_up - started,
        "restore_seconds": restored - backed_up,
        "tables": len(before),
        "rows": sum(before.values()),
        "differences": {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)},
        "ledger_ok": check.returncode == 0,
        "ledger_report": (check.stdout + check.stderr).strip(),
        "restored_into": fresh,
    }
