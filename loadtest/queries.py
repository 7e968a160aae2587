"""python -m loadtest.queries [--page NAME] [--explain]: where each load-test page spends its time.

Runs in-process against the seeded load database (DATABASE_URL, e.g. postgres://…/reparto_load): each page is
asked for through Django's test Client while every query is captured, then the page's time, its number of queries,
the time in SQL, the slowest statements and the statements repeated most (an N+1) are printed; with --explain,
PostgreSQL's EXPLAIN ANALYZE of the slowest. Reads only: nothing is written to the database but sessions.
"""

import argparse
import os
import re
import sys
import time
from collections import Counter

PAGES = [
    "intake search",
    "assessment queue",
    "household record",
    "orders list",
    "planning board (tomorrow)",
    "planning board (today)",
    "planning map (today)",
    "planning round (today)",
    "driver page",
]


def _urls() -> dict[str, tuple[str, str]]:
    """Each page's user and address, picked from the seeded data the way the load test picks them."""
    import datetime as dt

    from delivery.models import Round
    from requests_intake.models import Household
    from routing.models import PlanningRun

    today = PlanningRun.objects.filter(published_at__isnull=False).order_by("-date").values_list("date", flat=True)[0]
    tomorrow = today + dt.timedelta(days=1)
    household = Household.objects.filter(requests__plan__isnull=False).order_by("pk").first()
    driver = Round.objects.filter(date=today).order_by("pk").values_list("driver__username", flat=True)[0]
    round_id = Round.objects.filter(date=today).order_by("pk").values_list("pk", flat=True)[0]
    surname = household.family_name.split()[0]
    return {
        "intake search": ("operadora", f"/intake/?q={surname}"),
        "assessment queue": ("trabajadora", "/assessment/"),
        "household record": ("operadora", f"/households/{household.pk}/"),
        "orders list": ("planificador", f"/orders/?date={tomorrow}"),
        "planning board (tomorrow)": ("planificador", f"/planning/?date={tomorrow}"),
        "planning board (today)": ("planificador", f"/planning/?date={today}"),
        "planning map (today)": ("planificador", f"/planning/map/?date={today}"),
        "planning round (today)": ("planificador", f"/planning/rounds/{round_id}/stops/?date={today}"),
        "driver page": (driver, "/driver/"),
    }


def _shape(sql: str) -> str:
    """The statement with its values taken out, so repeats of one query count together."""
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)


def profile(page: str, username: str, url: str, *, explain: bool) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)  # warm: imports, templates, connection
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    queries = captured.captured_queries
    sql_s = sum(float(q["time"]) for q in queries)
    lines = [
        f"## {page}: {url} as {username}",
        f"status {response.status_code}, {seconds * 1000:.0f} ms, {len(queries)} queries, "
        f"{sql_s * 1000:.0f} ms in SQL, {len(response.content) / 1024:.0f} KiB of HTML",
    ]
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    for query in slowest:
        lines.append(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    repeated = [(shape, n) for shape, n in Counter(_shape(q["sql"]) for q in queries).most_common(2) if n > 3]
    for shape, n in repeated:
        lines.append(f"  repeated {n}×: {shape[:300]}")
    if explain and slowest and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {slowest[0]['sql']}")
            lines += ["  " + row[0] for row in cursor.fetchall()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=PAGES, action="append", help="default: every page")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each page")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the test Client's host name
    import django

    django.setup()
    urls = _urls()
    for page in args.page or PAGES:
        username, url = urls[page]
        sys.stdout.write(profile(page, username, url, explain=args.explain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
