"""python -m delivery.bench [--stops N --rounds N --depots N]: the manifests benchmark, on a throwaway database.

A planned day is built with bulk inserts, no solver: 2,000 stops on 60 rounds from 3 depots (households with
access notes, diets, reduced mobility, own hours and pharmacy pickups among them), plus orders left out. Then the
day's paperwork is written as `manifests_write` writes it after planning: each round's route sheet (one QR code
per stop) and loading list, each depot's summary and assembly list. Timed: the route sheets alone (target: 60
route sheets for 2,000 stops in 10 s or less), the loading lists and summaries alone, and `manifests_write` whole;
the queries `manifests_write` makes are counted, to show they do not grow with the stops.

With DATABASE_URL pointing at PostgreSQL, the benchmark creates (and drops afterwards) a database
`reparto_bench_logistics` on that server, connecting as the URL's user; otherwise it uses a temporary SQLite
file. Your own database is never touched. Results go to benchmarks/logistics.md (one section per database) and
to the terminal.
"""

import argparse
import datetime as dt
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from core.benchkit import bench_database, results_write, server_version
from requests_intake.bench import approved_requests

BENCH_DATABASE = "reparto_bench_logistics"
TARGET_S = 10.0
LEFT_OUT = 40
GIVEN_NAMES = ["Carmen", "José", "María", "Antonio", "Ahmed", "Fátima", "Iván", "Lucía", "Rosa María", "Joaquín"]
FAMILY_NAMES = ["García", "Sánchez Gómez", "Pérez", "Muñoz", "El Amrani", "López", "Ortega", "Núñez", "Ruiz"]
STREETS = ["Calle Mayor", "Calle de la Alfarería", "Avenida Reina Victoria", "Plaza de España", "Calle del Carmen"]
NOTES = ["", "", "Tercero sin ascensor", "Portal verde, llamar al 2º B", "Perro suelto en el patio"]


def _build_day(*, stops: int, rounds: int, depots: int, seed: int = 7) -> dict:
    """A planned day: depots, vans, drivers, households, plans, orders, one run, its rounds and stops."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from delivery.models import Round, Stop
    from inventory.models import Item, Pack, PackComponent, Warehouse
    from logistics.models import DeliveryOrder, DeliveryOrderLine, Vehicle
    from requests_intake.models import AidPlan, Household, Pharmacy

    # The run and its orders left out are routing's, above this app: reached through the round's relation.
    PlanningRun = Round.run.field.related_model  # noqa: N806
    UnplacedOrder = PlanningRun.unplaced.rel.related_model  # noqa: N806
    rng = random.Random(seed)
    user_model = get_user_model()
    now = timezone.now()
    day = timezone.localdate() + dt.timedelta(days=1)
    actor = user_model.objects.create(username="bench")
    drivers = user_model.objects.bulk_create(
        user_model(username=f"driver{n}", first_name=rng.choice(GIVEN_NAMES), last_name=rng.choice(FAMILY_NAMES))
        for n in range(rounds)
    )
    warehouses = Warehouse.objects.bulk_create(
        Warehouse(code=f"depot-{n}", name=f"Almacén {n}", address="-", latitude=Decimal(0), longitude=Decimal(0))
        for n in range(depots)
    )
    items = Item.objects.bulk_create(
        Item(
            sku=f"M-{n:03d}",
            name=f"Artículo {n}",
            category=Item.Category.FOOD,
            weight_kg=Decimal("0.5") * (n % 4 + 1),
            volume_l=Decimal("0.75") * (n % 3 + 1),
        )
        for n in range(12)
    )
    packs = Pack.objects.bulk_create(
        Pack(code=f"pack-{n}", name=f"Lote {n} (básico)", name_en=f"Pack {n} (basic)") for n in range(6)
    )
    PackComponent.objects.bulk_create(
        PackComponent(pack=pack, item=item, quantity=rng.randint(1, 4))
        for pack in packs
        for item in rng.sample(items, 3)
    )
    vehicles = Vehicle.objects.bulk_create(
        Vehicle(
            name=f"Furgoneta {n:02d}",
            plate=f"{1000 + n} BCH",
            depot=warehouses[n % depots],
            driver=drivers[n],
            capacity_kg=800,
            capacity_l=4000,
        )
        for n in range(rounds)
    )

    orders_needed = stops + LEFT_OUT
    households = Household.objects.bulk_create(
        Household(
            given_name=rng.choice(GIVEN_NAMES),
            family_name=rng.choice(FAMILY_NAMES),
            document_type="none",
            phone=f"+3461{n:07d}",
            address=f"{rng.choice(STREETS)} {n % 90 + 1}, {n % 5 + 1}º",
            postcode=f"3020{n % 6}",
            municipality="Cartagena",
            access_notes=rng.choice(NOTES),
            diets=rng.choice([[], [], ["halal"], ["gluten_free", "diabetic"]]),
            reduced_mobility=n % 7 == 0,
            preferred_from=dt.time(10, 0) if n % 9 == 0 else None,
            preferred_until=dt.time(12, 0) if n % 9 == 0 else None,
        )
        for n in range(orders_needed)
    )
    requests = approved_requests(households, actor=actor, received_at=now)
    pharmacy = Pharmacy.objects.get_or_create(name="Farmacia Ldo. Muñoz")[0]
    plans = AidPlan.objects.bulk_create(
        AidPlan(
            request=request,
            first_delivery_on=day,
            pharmacy=pharmacy if n % 10 == 0 else None,
            prescription_ref=f"RX-{n:05d}" if n % 10 == 0 else "",
        )
        for n, request in enumerate(requests)
    )
    orders = DeliveryOrder.objects.bulk_create(
        DeliveryOrder(
            plan=plan,
            household=plan.request.household,
            warehouse=warehouses[n % depots],
            due_date=day,
            status=DeliveryOrder.Status.PLANNED if n < stops else DeliveryOrder.Status.SHORT,
            notes="Entregar antes de las 11" if n % 25 == 0 else "",
        )
        for n, plan in enumerate(plans)
    )
    lines = DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=order, pack=pack, quantity=rng.randint(1, 2))
        for order in orders
        for pack in rng.sample(packs, rng.randint(1, 3))
    )

    run = PlanningRun.objects.create(date=day, requested_by=actor, status=PlanningRun.Status.DONE)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    made_rounds = Round.objects.bulk_create(
        Round(
            run=run,
            date=day,
            vehicle=vehicle,
            driver=vehicle.driver,
            depot=vehicle.depot,
            start_at=start,
            end_at=start + dt.timedelta(hours=5),
            distance_m=rng.randint(15_000, 60_000),
        )
        for vehicle in vehicles
    )
    # Orders of a depot ride on that depot's vans, dealt round by round.
    per_round: list[list] = [[] for _round in made_rounds]
    for n, order in enumerate(orders[:stops]):
        depot = n % depots
        van = (n // depots) % (rounds // depots) * depots + depot
        per_round[van].append(order)
    Stop.objects.bulk_create(
        Stop(round=round_, order=order, sequence=k, arrival_at=start + dt.timedelta(minutes=8 * k))
        for round_, mine in zip(made_rounds, per_round, strict=True)
        for k, order in enumerate(mine, start=1)
    )
    UnplacedOrder.objects.bulk_create(
        UnplacedOrder(run=run, order=order, reason=rng.choice(["stock_short", "no_location", "no_capacity_today"]))
        for order in orders[stops:]
    )
    return {
        "run": run,
        "stops": stops,
        "rounds": len(made_rounds),
        "depots": depots,
        "lines": len(lines),
        "left_out": len(orders) - stops,
        "largest": max(len(mine) for mine in per_round),
    }


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def bench_manifests(*, stops: int, rounds: int, depots: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from delivery import manifests
    from inventory.models import Warehouse

    world = _build_day(stops=stops, rounds=rounds, depots=depots)
    run = world.pop("run")
    with tempfile.TemporaryDirectory(prefix="reparto_manifests_") as folder:
        settings.MANIFEST_DIR = Path(folder)
        loaded = manifests._rounds_with_stops(run=run)
        sizes = manifests._sizes_for(loaded)

        def route_sheets() -> None:
            for round_ in loaded:
                manifests.route_sheet_pdf(round_)

        def loading_lists() -> None:
            for round_ in loaded:
                manifests.loading_list_pdf(round_, sizes=sizes)

        def summaries() -> None:
            for depot in Warehouse.objects.all():
                manifests.depot_summary_pdf(run=run, depot=depot)

        route = _timed(route_sheets)
        loading = _timed(loading_lists)
        summary = _timed(summaries)
        written: list = []
        total = _timed(lambda: written.extend(manifests.manifests_write(run=run)))
        with CaptureQueriesContext(connection) as queries:
            manifests.manifests_write(run=run)
        size = sum(path.stat().st_size for path in written)
    return {
        **world,
        "route": route,
        "loading": loading,
        "summary": summary,
        "total": total,
        "files": len(written),
        "megabytes": size / 1_000_000,
        "queries": len(queries),
    }


def _report(label: str, r: dict, server: str) -> str:
    day = (
        f"{r['stops']:,} stops ({r['lines']:,} order lines) on {r['rounds']} rounds from {r['depots']} depots, "
        f"largest round {r['largest']} stops; {r['left_out']} orders left out"
    )
    lines = [
        f"## {label}",
        "",
        f"{server}; Python {platform.python_version()} on {platform.machine()}, "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        "",
        f"The day: {day}.",
        "",
        "| Benchmark | Result | Target |",
        "|---|---|---|",
        f"| {r['rounds']} route sheets (one QR code per stop) | **{r['route']:.2f} s** | ≤ {TARGET_S:.0f} s |",
        f"| {r['rounds']} loading lists | {r['loading']:.2f} s | — |",
        f"| {r['depots']} depot summaries (rounds loaded again) | {r['summary']:.2f} s | — |",
        f"| `manifests_write`: all of it, {r['files']} files, {r['megabytes']:.1f} MB, rounds loaded once "
        f"| **{r['total']:.2f} s**, {r['queries']} queries | ≤ {TARGET_S:.0f} s |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m delivery.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stops", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--depots", type=int, default=3)
    args = parser.parse_args(argv)
    if args.depots < 1 or args.rounds < args.depots or args.rounds % args.depots or args.stops < args.rounds:
        parser.error("use at least one depot, a number of rounds that is a multiple of it, and a stop per round")

    with bench_database(BENCH_DATABASE) as label:
        result = bench_manifests(stops=args.stops, rounds=args.rounds, depots=args.depots)
        section = _report(label, result, server_version(label))
        results_write(
            "logistics.md",
            title="Manifests benchmark",
            command="python -m delivery.bench",
            label=label,
            section=section,
        )
        sys.stdout.write(section)
        failed = result["route"] > TARGET_S or result["total"] > TARGET_S
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
