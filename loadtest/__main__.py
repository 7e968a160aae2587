"""python -m loadtest [--households N --requests-per-page N --concurrency N --reseed]: the city load test.

1. A PostgreSQL database (`reparto_load` on DATABASE_URL's server unless --database-url says otherwise) is
   migrated and, when it has no households, seeded with `seed_city` (the seed time is printed).
2. gunicorn serves `config.wsgi:application` on the loopback with production settings (DJANGO_DEBUG=0, static
   files collected and served by whitenoise, persistent database connections); only TLS is off, as
   scripts/serve-prod.sh does.
3. This process, a second one, signs in as the role users and asks for a fixed number of each page: intake
   search, the assessment queue, household records, the planning board for today (published, 2,000 stops) and
   tomorrow (2,000 orders ready to plan), what board.js fetches for today's board (the map's data, a round's
   stop table), the orders list and the driver's page. It prints p50/p95/p99 and the
   errors per page and writes the table into docs/load.md.
4. gunicorn is stopped. Exit status 1 when any page answered with an error or a list/search page missed its
   target (p95 <= 200 ms). A benchmark, not a test: the figures depend on the machine.
"""

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from loadtest.client import SignInFailed, Task, load_run, percentile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 200
# Pages people use to find and list things: these carry the p95 target.
LIST_PAGES = {"intake search", "assessment queue", "orders list"}


def _database_url(args) -> str:
    if args.database_url:
        return args.database_url
    server = os.environ.get("DATABASE_URL", "") or DEFAULT_SERVER
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("The load test runs on PostgreSQL: set DATABASE_URL to a postgres:// server or pass --database-url.")
    return urlunsplit(urlsplit(server)._replace(path="/reparto_load"))


def _database_prepare(url: str, *, reseed: bool) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if reseed:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as connection:
        return connection.execute(sql, params).fetchall()


def _manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def _seed(url: str, env: dict, args) -> str:
    _manage(env, "migrate", "--verbosity", "0")
    households = _query(url, "SELECT count(*) FROM requests_intake_household")[0][0]
    if households:
        return f"reused: the database already held {households:,} households"
    started = time.perf_counter()
    _manage(
        env, "seed_city", "--households", str(args.households), "--seed", str(args.seed), "--password", args.password
    )
    return f"seeded {args.households:,} households in {time.perf_counter() - started:.0f} s (`seed_city`, wall clock)"


def _server_env(url: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": url,
            # Production keeps database connections open between requests; the default of 0 reconnects each time.
            "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
            # Plain http on the loopback, as scripts/serve-prod.sh: no TLS redirect, no HSTS, cookies over http.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "COOKIES_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "GEOCODER": "",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(env: dict, args) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"Port {args.port} is taken by another server; choose another with --port.")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, so stopping it stops its workers too
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit status {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    _stop(server)
    sys.exit("gunicorn did not answer /health/ within 60 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _tasks(url: str, args) -> tuple[list[Task], dict]:
    """What each page is asked for: sample households, the day of the published rounds and the next day."""
    import random

    rng = random.Random(args.seed)
    today = _query(url, "SELECT max(date) FROM routing_planningrun WHERE published_at IS NOT NULL")[0][0]
    if today is None:
        sys.exit("The database has no published rounds: seed it with seed_city (or --reseed).")
    tomorrow = today + dt.timedelta(days=1)
    households = _query(
        url,
        "SELECT id, given_name, family_name, phone, document_number, address FROM requests_intake_household "
        "WHERE merged_into_id IS NULL ORDER BY md5(id::text) LIMIT 500",
    )
    drivers = [
        row[0]
        for row in _query(
            url,
            "SELECT DISTINCT u.username FROM routing_round r JOIN auth_user u ON u.id = r.driver_id "
            "WHERE r.date = %s ORDER BY 1",
            (today,),
        )
    ]
    rounds = [row[0] for row in _query(url, "SELECT id FROM routing_round WHERE date = %s ORDER BY id", (today,))]
    fold = str.maketrans("áéíóúÁÉÍÓÚñÑ", "aeiouAEIOUnN")

    def search(n: int) -> str:
        _pk, given, family, phone, document, address = households[n % len(households)]
        kinds = [
            family.split()[0].translate(fold).lower(),  # a surname typed without accents
            f"{phone[-9:-6]} {phone[-6:-3]} {phone[-3:]}",  # a phone read out in groups
            document or phone[-9:],
            f"{given.split()[0]} {family.split()[0]}",
            " ".join(address.split(",")[0].split()[-2:]),  # the end of the street and the number
        ]
        return kinds[n % len(kinds)]

    n = args.requests_per_page
    tasks = [Task("intake search", "operadora", f"/intake/?q={quote(search(k))}") for k in range(n)]
    tasks += [Task("assessment queue", "trabajadora", "/assessment/") for _k in range(n)]
    tasks += [
        Task("household record", "operadora", f"/households/{households[k % len(households)][0]}/") for k in range(n)
    ]
    tasks += [Task("orders list", "planificador", f"/orders/?date={tomorrow}") for _k in range(n)]
    tasks += [Task("planning board (tomorrow)", "planificador", f"/planning/?date={tomorrow}") for _k in range(n)]
    tasks += [Task("planning board (today)", "planificador", f"/planning/?date={today}") for _k in range(n)]
    # What board.js asks for on a large day besides the page: the map's stops, and a round's table when opened.
    tasks += [Task("planning map (today)", "planificador", f"/planning/map/?date={today}") for _k in range(n)]
    tasks += [
        Task("planning round (today)", "planificador", f"/planning/rounds/{rng.choice(rounds)}/stops/?date={today}")
        for _k in range(n)
    ]
    tasks += [Task("driver page", rng.choice(drivers), "/driver/") for _k in range(n)]
    facts = {"today": today, "tomorrow": tomorrow, "drivers": len(drivers)}
    return tasks, facts


PAGE_URLS = {
    "intake search": "`/intake/?q=…` (operadora; surname, phone, document, name, street)",
    "assessment queue": "`/assessment/` (trabajadora, two zones)",
    "household record": "`/households/<id>/` (operadora, random records)",
    "orders list": "`/orders/?date=<tomorrow>` (planificador)",
    "planning board (tomorrow)": "`/planning/?date=<tomorrow>` (2,000 orders ready to plan)",
    "planning board (today)": "`/planning/?date=<today>` (published plan, 2,000 stops)",
    "planning map (today)": "`/planning/map/?date=<today>` (its stops for board.js's map, JSON)",
    "planning round (today)": "`/planning/rounds/<id>/stops/?date=<today>` (a round's table, opened)",
    "driver page": "`/driver/` (a driver with a round today)",
}


def _table(results: dict, seconds: float, args, facts: dict, seed_note: str, url: str) -> tuple[str, bool]:
    counts = dict(
        _query(
            url,
            "SELECT 'households', count(*) FROM requests_intake_household UNION ALL "
            "SELECT 'requests', count(*) FROM requests_intake_aidrequest UNION ALL "
            "SELECT 'orders', count(*) FROM logistics_deliveryorder",
        )
    )
    server = _query(url, "SHOW server_version")[0][0].split()[0]
    total = sum(len(r.timings_ms) + r.errors for r in results.values())
    lines = [
        f"PostgreSQL {server}, gunicorn {args.workers} sync workers, Python {platform.python_version()} on "
        f"{platform.machine()} with {os.cpu_count()} CPUs (server, database and client share them), "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. Database: {counts['households']:,} households, "
        f"{counts['requests']:,} requests, {counts['orders']:,} delivery orders ({seed_note}). "
        f"{total:,} requests, {args.requests_per_page} per page, {args.concurrency} at a time, in "
        f"{seconds:.1f} s ({total / seconds:.1f} requests/s); today is {facts['today']}, {facts['drivers']} drivers "
        f"out.",
        "",
        "| Page | Asked for | Requests | Errors | p50 ms | p95 ms | p99 ms | max ms | Target p95 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    failed = False
    for page, where in PAGE_URLS.items():
        result = results.get(page)
        if result is None:
            continue
        ordered = sorted(result.timings_ms)
        p95 = percentile(ordered, 0.95)
        target = "—"
        if page in LIST_PAGES:
            met = p95 <= TARGET_MS
            target = f"≤ {TARGET_MS} ms: {'met' if met else '**missed**'}"
            failed |= not met
        failed |= result.errors > 0
        lines.append(
            f"| {page} | {where} | {len(ordered) + result.errors} | {result.errors} | "
            f"{percentile(ordered, 0.5):.0f} | {p95:.0f} | {percentile(ordered, 0.99):.0f} | "
            f"{(ordered[-1] if ordered else float('nan')):.0f} | {target} |"
        )
    for page, result in results.items():
        for sample in result.error_samples:
            lines.append(f"\nError on {page}: `{sample}`")
    return "\n".join(lines) + "\n", failed


def _write(path: Path, label: str, table: str) -> None:
    """Replace the run's section of the results file (found by its markers), or add it at the end."""
    start, end = f"<!-- load-results:{label}:start -->", f"<!-- load-results:{label}:end -->"
    block = f"{start}\n{table}{end}"
    text = path.read_text() if path.exists() else "# Load test\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a database reparto_load on DATABASE_URL's server")
    parser.add_argument("--households", type=int, default=100_000, help="for seed_city when the database is empty")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--password", default="reparto-demo")
    parser.add_argument("--reseed", action="store_true", help="drop the load database and seed it again")
    parser.add_argument("--requests-per-page", type=int, default=100)
    parser.add_argument(
        "--pages", help=f"comma-separated, default every page: {', '.join(PAGE_URLS)}", type=lambda v: v.split(",")
    )
    parser.add_argument("--label", default="all-pages", help="the section of the results file this run replaces")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE for the server")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--write", type=Path, default=ROOT / "docs" / "load.md", help="'-' writes nothing")
    args = parser.parse_args(argv)
    if min(args.requests_per_page, args.concurrency, args.workers) < 1 or args.conn_max_age < 0:
        parser.error("requests per page, concurrency and workers must be at least 1; conn-max-age at least 0")
    unknown = set(args.pages or []) - set(PAGE_URLS)
    if unknown:
        parser.error(f"unknown pages {', '.join(sorted(unknown))}; choose among {', '.join(PAGE_URLS)}")
    if not re.fullmatch(r"[a-z0-9-]+", args.label):
        parser.error("--label takes lower-case letters, digits and dashes")

    args.port = args.port or _free_port()
    url = _database_url(args)
    _database_prepare(url, reseed=args.reseed)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    seed_note = _seed(url, env, args)
    sys.stdout.write(seed_note + "\n")
    sys.stdout.flush()
    tasks, facts = _tasks(url, args)
    if args.pages:
        tasks = [task for task in tasks if task.page in args.pages]
    server = _serve(_server_env(url, args), args)
    try:
        results, seconds = load_run(
            f"http://127.0.0.1:{args.port}", tasks=tasks, password=args.password, concurrency=args.concurrency
        )
    except SignInFailed as error:
        sys.stderr.write(f"Sign-in failed: {error}\n")
        return 1
    finally:
        _stop(server)
    table, failed = _table(results, seconds, args, facts, seed_note, url)
    sys.stdout.write(table)
    if str(args.write) != "-":
        _write(args.write, args.label, table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
