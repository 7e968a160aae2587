"""python -m requests_intake.bench [--households N --requests N --samples N]: intake benchmarks, on a throwaway
database.

(a) Import: N generated households, written as a Spanish office's Excel writes CSV (semicolons, Windows-1252,
    CRLF, d/m/yyyy, phones every which way), go through `households_import`: read, every row checked, saved in
    one transaction. Timed twice: the dry run (read and check) and the import itself. Target: 2,000 rows/s or more.
(b) Pages: with those households and M aid requests, the assessment queue of a social worker with a zone and
    the household search of intake (five kinds of query), each asked `samples` times through Django's test
    Client; p50 and p95 of the response time.

With DATABASE_URL pointing at PostgreSQL, the benchmark creates (and drops afterwards) a database
`reparto_bench_intake` on that server, connecting as the URL's user; otherwise it uses a temporary SQLite file.
Your own database is never touched. Results go to benchmarks/intake.md (one section per database) and to the
terminal.
"""

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time

from core.benchkit import bench_database, results_write, server_version

BENCH_DATABASE = "reparto_bench_intake"
IMPORT_TARGET_ROWS_S = 2000
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
GIVEN_NAMES = ["Carmen", "José", "María", "Antonio", "Ahmed", "Fátima", "Iván", "Lucía", "Rosa María", "Joaquín"]
FAMILY_NAMES = ["García", "Sánchez Gómez", "Pérez", "Muñoz", "El Amrani", "López", "Ortega", "Martínez", "Ruiz"]
UNKNOWN_STREETS = ["C/ Sin Nombre", "Camino Nuevo", "Paraje Los Olivos"]
ZONES = [("zona-1", "Zona 1", "30201"), ("zona-2", "Zona 2", "30202"), ("zona-3", "Zona 3", "30203,30204")]


def approved_requests(households, *, actor, received_at) -> list:
    """One approved phone request per household, inserted in bulk (no services: the benchmark times other code)."""
    from requests_intake.models import AidRequest

    return AidRequest.objects.bulk_create(
        AidRequest(
            household=household,
            channel="phone",
            needs=["food"],
            status=AidRequest.Status.APPROVED,
            received_at=received_at,
            registered_by=actor,
        )
        for household in households
    )


def _street_table() -> list[tuple[str, str]]:
    import csv

    from django.conf import settings

    with open(settings.GEOCODER_GAZETTEER, encoding="utf-8", newline="") as handle:
        return [(row["street"], row["postcode"]) for row in csv.DictReader(handle) if row["street"]]


def _phone(number: int, rng: random.Random) -> str:
    digits = f"6{number:08d}"
    style = rng.randrange(4)
    if style == 0:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if style == 1:
        return f"+34 {digits}"
    if style == 2:
        return "-".join([digits[:3], digits[3:5], digits[5:7], digits[7:]])
    return digits


def households_csv(count: int, *, seed: int = 8) -> bytes:
    """`count` distinct, valid households as a Spanish Excel writes CSV."""
    rng = random.Random(seed)
    streets = _street_table()
    lines = [
        "Nombre;Apellidos;Tipo documento;Documento;Teléfono;Dirección;Código postal;Municipio;Fecha nacimiento;"
        "Miembros;Zona;Observaciones"
    ]
    for n in range(1, count + 1):
        kind = rng.random()
        if kind < 0.75:
            document = ("DNI", f"{n:08d}{DNI_LETTERS[n % 23]}")
        elif kind < 0.9:
            digits = f"{n:07d}"
            document = ("NIE", f"Y{digits}{DNI_LETTERS[int('1' + digits) % 23]}")
        else:
            document = ("Ninguno", "")
        if rng.random() < 0.8:
            street, postcode = rng.choice(streets)
        else:
            street, postcode = rng.choice(UNKNOWN_STREETS), rng.choice(["30201", "30202", "30203", "30204"])
        address = f"{street} {rng.randint(1, 120)}, {rng.randint(1, 6)}º"
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(27000))
        zone = rng.choice(["", "", "zona 1", "Zona 2", "ZONA 3"])
        notes = rng.choice(["", "", "Llamar antes", "Timbre roto, llamar al móvil", "Movilidad reducida"])
        lines.append(
            ";".join(
                [
                    f" {rng.choice(GIVEN_NAMES)} ",
                    rng.choice(FAMILY_NAMES),
                    document[0],
                    document[1],
                    _phone(n, rng),
                    address,
                    postcode,
                    "Cartagena",
                    f"{born.day}/{born.month}/{born.year}",
                    str(rng.randint(1, 8)),
                    zone,
                    notes,
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def bench_import(*, households: int) -> dict:
    from django.contrib.auth import get_user_model

    from requests_intake.imports import households_import
    from requests_intake.models import Household, Zone

    for code, name, postcodes in ZONES:
        Zone.objects.create(code=code, name=name, postcodes=postcodes)
    actor = get_user_model().objects.create(username="bench-importer")
    content = households_csv(households)

    started = time.perf_counter()
    checked = households_import(actor=actor, content=content, file_name="bench.csv", dry_run=True)
    check_s = time.perf_counter() - started
    started = time.perf_counter()
    result = households_import(actor=actor, content=content, file_name="bench.csv")
    import_s = time.perf_counter() - started
    saved = Household.objects.count()
    empty_search = Household.objects.filter(search_text="").count()
    return {
        "rows": checked.count,
        "megabytes": len(content) / 2**20,
        "check_s": check_s,
        "import_s": import_s,
        "saved": saved,
        "unplaced": result.unplaced,
        "empty_search": empty_search,
        "zoned": Household.objects.filter(zone__isnull=False).count(),
    }


def _requests_create(count: int, *, seed: int = 9) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from requests_intake.models import AidRequest, Household

    rng = random.Random(seed)
    actor = get_user_model().objects.get(username="bench-importer")
    households = list(Household.objects.order_by("pk").values_list("pk", "zone_id"))
    now = timezone.now()
    statuses = ["in_assessment"] * 4 + ["more_info", "approved", "approved", "approved", "rejected", "info_only"]
    made = []
    for n in range(count):
        household_id, zone_id = rng.choice(households)
        status = rng.choice(statuses)
        made.append(
            AidRequest(
                reference=f"R-BENCH-{n:06d}",
                household_id=household_id,
                zone_id=zone_id,
                channel=rng.choice(["phone", "whatsapp", "web_form", "in_person"]),
                needs=rng.sample(["food", "hygiene", "medication"], rng.randint(1, 2)),
                priority=rng.choice([0, 1, 1, 1, 2]),
                status=status,
                rejection_reason="Ingresos por encima del umbral" if status == "rejected" else "",
                received_at=now - dt.timedelta(minutes=rng.randrange(60 * 24 * 90)),
                registered_by=actor,
            )
        )
    AidRequest.objects.bulk_create(made, batch_size=2000)
    return {"requests": count, "open": sum(r.status in AidRequest.OPEN_STATUSES for r in made)}


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time_pages(client, urls: list[str]) -> tuple[float, float]:
    client.get(urls[0])  # the first request pays for imports and template loading
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return _percentiles(timings)


def bench_pages(*, requests: int, samples: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from core.roles import INTAKE_OPERATOR, SOCIAL_WORKER, roles_sync
    from requests_intake.models import AidRequest, Household, Zone

    made = _requests_create(requests)
    groups = roles_sync()
    users = get_user_model().objects
    worker = users.create(username="bench-social-worker")
    worker.groups.add(groups[SOCIAL_WORKER])
    zone = Zone.objects.get(code="zona-1")
    zone.social_workers.add(worker)
    operator = users.create(username="bench-operator")
    operator.groups.add(groups[INTAKE_OPERATOR])

    queue_client = Client()
    queue_client.force_login(worker)
    queue_url = reverse("assessment_queue")
    queue = _time_pages(queue_client, [queue_url] * samples)
    in_queue = AidRequest.objects.filter(status__in=AidRequest.OPEN_STATUSES, zone=zone).count()

    rng = random.Random(10)
    households = Household.objects.order_by("pk").values("family_name", "given_name", "phone", "document_number")
    sample = rng.sample(list(households), min(samples, len(households)))
    kinds = [
        ("surname without accents", lambda h: h["family_name"].split()[0].replace("í", "i").replace("á", "a")),
        ("phone read out in groups", lambda h: f"{h['phone'][3:6]} {h['phone'][6:9]} {h['phone'][9:]}"),
        ("document number", lambda h: h["document_number"] or h["phone"][3:]),
        ("given name and surname", lambda h: f"{h['given_name'].split()[0]} {h['family_name'].split()[0]}"),
        ("street and number", lambda h: f"almendro {rng.randint(1, 120)}"),
    ]
    queries = [(kinds[n % len(kinds)][0], kinds[n % len(kinds)][1](household)) for n, household in enumerate(sample)]
    search_client = Client()
    search_client.force_login(operator)
    search_url = reverse("intake")
    search = _time_pages(search_client, [f"{search_url}?q={query}" for _kind, query in queries])
    by_kind = {}
    for name, _make in kinds:
        urls = [f"{search_url}?q={query}" for kind, query in queries if kind == name]
        by_kind[name] = _time_pages(search_client, urls)
    return {**made, "in_queue": in_queue, "queue": queue, "search": search, "by_kind": by_kind, "samples": samples}


def _report(label: str, imported: dict, pages: dict, server: str) -> str:
    i, p = imported, pages
    rate = i["rows"] / i["import_s"] if i["import_s"] else 0.0
    check_rate = i["rows"] / i["check_s"] if i["check_s"] else 0.0
    kinds = "; ".join(f"{name} {p50:.0f}/{p95:.0f}" for name, (p50, p95) in p["by_kind"].items())
    lines = [
        f"## {label}",
        "",
        f"{server}; Python {platform.python_version()} on {platform.machine()}, "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        "",
        "| Benchmark | Size | Result | Target |",
        "|---|---|---|---|",
        f"| Import (`households_import`: read, check every row, save in one transaction) | {i['rows']:,} households, "
        f"{i['megabytes']:.1f} MB of Windows-1252 CSV; {i['saved']:,} saved, {i['zoned']:,} with a zone, "
        f"{i['rows'] - i['unplaced']:,} placed from the street table, {i['empty_search']} without search text | "
        f"**{rate:,.0f} rows/s** ({i['import_s']:.1f} s); the dry run alone {check_rate:,.0f} rows/s "
        f"({i['check_s']:.1f} s) | ≥ {IMPORT_TARGET_ROWS_S:,} rows/s |",
        f"| Assessment queue (`/assessment/`, a social worker with one zone) | {i['saved']:,} households, "
        f"{p['requests']:,} requests ({p['open']:,} open, {p['in_queue']:,} in the zone; the page shows 200) | "
        f"p50 **{p['queue'][0]:.0f} ms**, p95 **{p['queue'][1]:.0f} ms** over {p['samples']} requests | — |",
        f"| Household search (`/intake/?q=…`) | {i['saved']:,} households; {p['samples']} queries of five kinds | "
        f"p50 **{p['search'][0]:.0f} ms**, p95 **{p['search'][1]:.0f} ms**; by kind p50/p95 ms: {kinds} | — |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m requests_intake.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args(argv)
    if min(args.households, args.requests, args.samples) < 1 or args.households > 9_999_999:
        parser.error("use at least one household, request and sample, and at most 9,999,999 households")

    with bench_database(BENCH_DATABASE) as label:
        imported = bench_import(households=args.households)
        pages = bench_pages(requests=args.requests, samples=args.samples)
        section = _report(label, imported, pages, server_version(label))
        results_write(
            "intake.md",
            title="Intake benchmarks",
            command="python -m requests_intake.bench",
            label=label,
            section=section,
        )
        sys.stdout.write(section)
        failed = imported["rows"] / imported["import_s"] < IMPORT_TARGET_ROWS_S or imported["empty_search"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
