"""Upgrades (docs/operations.md, "Upgrades"): how long migrations take, which go back, and what going back costs.

1. Every migration of Reparto's apps with whether it can be reversed, and what its backward step does.
2. `manage.py migrate` from nothing to the latest migration on an empty PostgreSQL database and on SQLite
   (three runs each; Django's own start, `migrate` with nothing to do, is given apart).
3. On a copy of the 100,000-household city (reparto_load, left untouched): each app's latest migration migrated
   back (`migrate APP PREVIOUS`) and forward again, timed, with every table's rows compared before and after.

    .venv/bin/python scripts/drills/migration_timings.py [--runs 3] [--keep]
"""

import argparse
import statistics
import sys
import time

import common as drill

APPS = ["inventory", "logistics", "delivery", "requests_intake", "routing"]
EMPTY, CITY = "reparto_drill_migrate", "reparto_drill_upgrade"


def _timed(*args: str, env: dict[str, str]) -> float:
    started = time.monotonic()
    drill.manage(*args, env=env)
    return time.monotonic() - started


def reversibility() -> list[tuple[str, str, str]]:
    """(app, migration, what its backward step does) for every migration of the project's apps."""
    from django.db.migrations import RunPython, RunSQL
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    rows = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app not in APPS:
            continue
        notes = []
        for operation in migration.operations:
            if not operation.reversible:
                notes.append(f"IRREVERSIBLE: {operation.describe()}")
            elif isinstance(operation, RunPython) and operation.reverse_code is RunPython.noop:
                notes.append(f"{operation.code.__name__}: backward is a no-op (the data it wrote stays)")
            elif isinstance(operation, RunPython):
                notes.append(f"{operation.code.__name__}: backward runs {operation.reverse_code.__name__}")
            elif isinstance(operation, RunSQL):
                notes.append("RunSQL with its reverse")
        kinds = {type(op).__name__ for op in migration.operations}
        drops = [op.describe() for op in migration.operations if type(op).__name__ in {"CreateModel", "AddField"}]
        if drops:
            notes.append(f"backward drops {len(drops)} table(s)/column(s) added here, and their data")
        rows.append((app, name, "; ".join(notes) or f"schema only ({', '.join(sorted(kinds))})"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the upgraded copy of the city")
    options = parser.parse_args()
    drill.clean_logs()
    drill.setup_django(drill.env_for(drill.database_url("postgres")))
    from django.db.migrations.loader import MigrationLoader

    drill.say("== which migrations go back")
    for app, name, note in reversibility():
        drill.say(f"{app}.{name}: {note}")

    drill.say("== from nothing to the latest migration")
    for label, make_env in (
        ("PostgreSQL", lambda: drill.env_for(drill.database_create(EMPTY))),
        ("SQLite", lambda: drill.env_for(f"sqlite:///{_fresh_sqlite()}")),
    ):
        runs, idle = [], []
        for _ in range(options.runs):
            env = make_env()
            runs.append(_timed("migrate", "--verbosity", "0", env=env))
            idle.append(_timed("migrate", "--verbosity", "0", env=env))
        drill.say(f"{label}: migrate zero -> head {_spread(runs)}; with nothing to do (Django's start) {_spread(idle)}")
    drill.database_drop(EMPTY)

    drill.say("== on a copy of the 100,000-household city")
    started = time.monotonic()
    city = drill.database_create(CITY, template="reparto_load")
    drill.say(f"copied reparto_load in {time.monotonic() - started:.1f} s")
    env = drill.env_for(city)
    plan = drill.manage("migrate", "--plan", env=env).stdout.strip().splitlines()
    drill.say(f"pending on the copy: {' '.join(line.strip() for line in plan[1:]) or 'none'}")
    drill.say(f"migrate (to head) {_timed('migrate', '--verbosity', '0', env=env):.1f} s")
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app in APPS:
        leaf = next(node for node in graph.leaf_nodes() if node[0] == app)
        previous = [parent for parent in graph.node_map[leaf].parents if parent.key[0] == app][0].key
        unapplied = [f"{a}.{n}" for a, n in graph.backwards_plan(leaf)]
        before, digests = _counts(city), _fingerprints(city)
        back = _timed("migrate", app, previous[1], "--verbosity", "0", env=env)
        between = _counts(city)
        forward = _timed("migrate", "--verbosity", "0", env=env)
        after = _counts(city)
        lost = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
        changed = sorted(c for c, digest in _fingerprints(city).items() if digest != digests.get(c, digest))
        dropped = sorted(set(before) - set(between))
        drill.say(
            f"{app}: back to {previous[1]} {back:.1f} s (unapplies {', '.join(unapplied)}), forward {forward:.1f} s; "
            f"tables gone while back: {dropped or 'none'}; rows changed after the round trip: {lost or 'none'}; "
            f"columns whose values changed: {changed or 'none'}"
        )
    drill.stock_checked(env, label="check_stock on the copy")
    if not options.keep:
        drill.database_drop(CITY)
    return 0


def _fresh_sqlite() -> str:
    path = drill.LOG_DIR / "migrate.sqlite3"
    path.unlink(missing_ok=True)
    return str(path)


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} s (runs: {', '.join(f'{v:.1f}' for v in values)})"


def _fingerprints(database: str) -> dict[str, str]:
    """A digest of every column's values in primary-key order: a column whose data changed gets another digest."""
    import psycopg

    with psycopg.connect(database) as conn:
        keys = dict(
            conn.execute(
                "SELECT tc.table_name, string_agg(quote_ident(kcu.column_name), ', ' ORDER BY kcu.ordinal_position) "
                "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
                "USING (constraint_schema, constraint_name) WHERE tc.constraint_type = 'PRIMARY KEY' "
                "AND tc.table_schema = 'public' GROUP BY tc.table_name"
            ).fetchall()
        )
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        ).fetchall()
        digests = {}
        for table, column in columns:
            if table not in keys or table == "django_migrations":  # the migrations' own record changes, of course
                continue
            (digest,) = conn.execute(
                f"SELECT md5(string_agg(coalesce(\"{column}\"::text, '-null-'), ',' ORDER BY {keys[table]})) "
                f'FROM "{table}"'
            ).fetchone()
            digests[f"{table}.{column}"] = digest or ""
        return digests


def _counts(database: str) -> dict[str, int]:
    """Rows of every table in the database as it is now (only the tables that exist)."""
    import psycopg

    with psycopg.connect(database) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        query = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
        return dict(conn.execute(query).fetchall())


if __name__ == "__main__":
    sys.exit(main())
