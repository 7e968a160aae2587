"""python -m inventory.bench [--items N --orders N --threads N]: the inventory benchmarks, on a throwaway database.

(a) The forecast for 500 items and 20,000 upcoming delivery orders (target: 10 s or less). The data is built with
    bulk inserts and stock enters through the ledger; only `forecast()` is timed.
(b) Reservations per second under contention (PostgreSQL only): 8 threads, each on its own connection, reserve
    one-unit orders against a few hot items until the stock is gone; the run checks that nothing was oversold.

With DATABASE_URL pointing at PostgreSQL, the benchmark creates (and drops afterwards) a database `reparto_bench`
on that server, connecting as the URL's user; otherwise it uses a temporary SQLite file. Your own database is
never touched. Results go to benchmarks/inventory.md (one section per database) and to the terminal.
"""

import argparse
import datetime as dt
import platform
import random
import sys
import threading
import time
from decimal import Decimal

from core.benchkit import bench_database, results_write, server_version
from requests_intake.bench import approved_requests

BENCH_DATABASE = "reparto_bench"
HOT_ITEMS = 4
HOT_UNITS = 250  # per hot item


def _build_world(*, items: int, orders: int, seed: int = 5) -> dict:
    """Items, packs, suppliers, stock, plans, orders and purchase orders, inserted in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from inventory.ledger import movements_post
    from inventory.models import (
        Item,
        Pack,
        PackComponent,
        PurchaseOrder,
        PurchaseOrderLine,
        StockBalance,
        StockLot,
        StockMovement,
        Supplier,
        Warehouse,
    )
    from logistics.models import DeliveryOrder, DeliveryOrderLine
    from requests_intake.models import AidPlan, AidPlanLine, Household

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    actor = get_user_model().objects.create(username="bench")
    warehouses = Warehouse.objects.bulk_create(
        Warehouse(code=f"w{n}", name=f"Warehouse {n}", address="-", latitude=Decimal(0), longitude=Decimal(0))
        for n in range(2)
    )
    suppliers = Supplier.objects.bulk_create(Supplier(name=f"Supplier {n}", lead_time_days=3 + 2 * n) for n in range(5))
    kits = 10
    catalogue = Item.objects.bulk_create(
        Item(
            sku=f"B-{n:04d}",
            name=f"Item {n}",
            category=Item.Category.KIT if n >= items - kits else Item.Category.FOOD,
            weight_kg=Decimal(1),
            volume_l=Decimal(1),
            safety_stock=rng.randint(0, 20),
            preferred_supplier=rng.choice([*suppliers, None]),
        )
        for n in range(items)
    )
    plain, kit_items = catalogue[: items - kits], catalogue[items - kits :]
    packs = Pack.objects.bulk_create(
        Pack(code=f"p{n}", name=f"Pack {n}", stock_item=kit_items[n] if n < kits else None) for n in range(60)
    )
    PackComponent.objects.bulk_create(
        PackComponent(pack=pack, item=item, quantity=rng.randint(1, 3))
        for pack in packs
        for item in rng.sample(plain, 8)
    )

    lots = StockLot.objects.bulk_create(
        StockLot(
            item=item,
            warehouse=warehouse,
            lot_code=f"L{k}",
            expiry_date=today + dt.timedelta(days=rng.randint(1, 60)) if k == 0 else None,
            received_on=today,
        )
        for item in catalogue
        for warehouse in warehouses
        for k in range(2)
    )
    StockBalance.objects.bulk_create(StockBalance(lot=lot, quantity=0) for lot in lots)
    movements_post(
        [
            StockMovement(lot=lot, kind=StockMovement.Kind.RECEIPT, quantity=rng.randint(20, 400), created_by=actor)
            for lot in lots
        ]
    )

    plan_count = max(1, orders // 10)
    households = Household.objects.bulk_create(
        Household(
            given_name="Bench",
            family_name=f"Household {n}",
            document_type="none",
            address=f"Street {n}",
            municipality="Town",
        )
        for n in range(plan_count)
    )
    requests = approved_requests(households, actor=actor, received_at=now)
    plans = AidPlan.objects.bulk_create(
        AidPlan(
            request=request,
            first_delivery_on=today + dt.timedelta(days=rng.randint(0, 6)),
            repeat_every_days=7 if n % 4 == 0 else None,  # a quarter of the plans repeat weekly
        )
        for n, request in enumerate(requests)
    )
    AidPlanLine.objects.bulk_create(
        AidPlanLine(plan=plan, pack=pack, quantity=rng.randint(1, 2)) for plan in plans for pack in rng.sample(packs, 2)
    )
    statuses = ["pending", "short", "reserved", "planned"]
    made = DeliveryOrder.objects.bulk_create(
        DeliveryOrder(
            plan=plans[n % plan_count],
            household=plans[n % plan_count].request.household,
            warehouse=rng.choice(warehouses),
            due_date=today + dt.timedelta(days=rng.randint(0, 27)),
            status=rng.choice(statuses),
        )
        for n in range(orders)
    )
    lines = DeliveryOrderLine.objects.bulk_create(
        DeliveryOrderLine(order=order, pack=pack, quantity=rng.randint(1, 2))
        for order in made
        for pack in rng.sample(packs, rng.randint(1, 3))
    )
    purchase_orders = PurchaseOrder.objects.bulk_create(
        PurchaseOrder(
            reference=f"PO-BENCH-{n:03d}",
            supplier=rng.choice(suppliers),
            warehouse=rng.choice(warehouses),
            status=PurchaseOrder.Status.SENT,
            expected_on=today + dt.timedelta(days=rng.randint(1, 20)),
            created_by=actor,
        )
        for n in range(100)
    )
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(purchase_order=order, item=item, quantity_ordered=rng.randint(50, 300))
        for order in purchase_orders
        for item in rng.sample(plain, 3)
    )
    return {
        "items": len(catalogue),
        "orders": len(made),
        "order_lines": len(lines),
        "plans": len(plans),
        "recurring": sum(1 for plan in plans if plan.repeat_every_days),
        "lots": len(lots),
        "warehouses": len(warehouses),
    }


def bench_forecast(*, items: int, orders: int, runs: int = 3) -> dict:
    from inventory.forecast import forecast

    world = _build_world(items=items, orders=orders)
    timings, rows = [], 0
    for _run in range(runs):
        started = time.perf_counter()
        result = forecast()
        timings.append(time.perf_counter() - started)
        rows = len(result.rows)
    return {**world, "rows": rows, "first": timings[0], "best": min(timings)}


def bench_reservations(*, threads: int, orders_per_thread: int) -> dict:
    """Threads race to reserve one-unit orders against HOT_ITEMS items holding HOT_UNITS units each."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from inventory.ledger import lot_receive
    from inventory.models import Item, Pack, PackComponent, Reservation
    from inventory.reservations import InsufficientStock, order_reserve_stock
    from inventory.selectors import default_warehouse, on_hand_by_item
    from logistics.models import DeliveryOrder
    from requests_intake.models import AidPlan

    actor = get_user_model().objects.get(username="bench")
    warehouse = default_warehouse()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    hot = Item.objects.bulk_create(
        Item(sku=f"HOT-{n}", name=f"Hot item {n}", category="food", weight_kg=Decimal(1), volume_l=Decimal(1))
        for n in range(HOT_ITEMS)
    )
    packs = []
    for item in hot:
        lot_receive(actor=actor, item=item, warehouse=warehouse, lot_code="HOT", quantity=HOT_UNITS, expiry_date=None)
        pack = Pack.objects.create(code=f"hot-{item.pk}", name=f"Hot pack {item.pk}")
        PackComponent.objects.create(pack=pack, item=item, quantity=1)
        packs.append(Pack.objects.prefetch_related("components").get(pk=pack.pk))
    plan = AidPlan.objects.select_related("request__household").order_by("pk").first()
    total = threads * orders_per_thread
    orders = DeliveryOrder.objects.bulk_create(
        DeliveryOrder(plan=plan, household=plan.request.household, warehouse=warehouse, due_date=tomorrow)
        for _n in range(total)
    )
    barrier = threading.Barrier(threads + 1)
    outcomes = {"reserved": 0, "refused": 0}
    backends: set[int] = set()
    lock = threading.Lock()

    def race(mine: list) -> None:
        reserved = refused = 0
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait()
            for n, order in enumerate(mine):
                try:
                    order_reserve_stock(order=order, pack_quantities=[(packs[n % len(packs)], 1)])
                    reserved += 1
                except InsufficientStock:
                    refused += 1
            with lock:
                outcomes["reserved"] += reserved
                outcomes["refused"] += refused
                backends.add(pid)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=race, args=(orders[k * orders_per_thread : (k + 1) * orders_per_thread],))
        for k in range(threads)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started

    held = dict(
        Reservation.objects.filter(status="active", item__in=hot)
        .values_list("item_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    on_hand = on_hand_by_item(warehouse=warehouse, items=hot)
    oversold = sum(max(0, held.get(item.pk, 0) - on_hand.get(item.pk, 0)) for item in hot)
    return {
        "threads": threads,
        "connections": len(backends),
        "attempts": total,
        "reserved": outcomes["reserved"],
        "refused": outcomes["refused"],
        "held": sum(held.values()),
        "stock": HOT_ITEMS * HOT_UNITS,
        "oversold": oversold,
        "seconds": elapsed,
    }


def _report(label: str, forecast_result: dict, race: dict | None, server: str) -> str:
    f = forecast_result
    lines = [
        f"## {label}",
        "",
        f"{server}; Python {platform.python_version()} on {platform.machine()}, "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        "",
        "| Benchmark | Size | Result | Target |",
        "|---|---|---|---|",
        f"| Forecast (`inventory.forecast.forecast`) | {f['items']} items, {f['orders']:,} upcoming orders "
        f"({f['order_lines']:,} lines), {f['plans']:,} plans ({f['recurring']:,} weekly), {f['lots']:,} lots, "
        f"{f['warehouses']} warehouses → {f['rows']:,} forecast rows | **{f['best']:.2f} s** best of 3 "
        f"(first run {f['first']:.2f} s) | ≤ 10 s |",
    ]
    if race is None:
        lines.append("| Reservations under contention | — | skipped: needs PostgreSQL (set DATABASE_URL) | — |")
    else:
        rate = race["reserved"] / race["seconds"] if race["seconds"] else 0.0
        attempts = race["attempts"] / race["seconds"] if race["seconds"] else 0.0
        lines.append(
            f"| Reservations under contention | {race['threads']} threads on {race['connections']} connections, "
            f"{race['attempts']:,} one-unit orders racing for {race['stock']:,} units of {HOT_ITEMS} hot items | "
            f"**{rate:,.0f} reservations/s** ({attempts:,.0f} attempts/s, {race['seconds']:.2f} s); "
            f"{race['reserved']:,} reserved, {race['refused']:,} refused, {race['held']:,} units held, "
            f"oversold: **{race['oversold']}** | no oversell |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inventory.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--orders-per-thread", type=int, default=200)
    args = parser.parse_args(argv)
    if args.items < 20 or min(args.orders, args.threads, args.orders_per_thread) < 1:
        parser.error("use at least 20 items, and at least one order, thread and order per thread")

    with bench_database(BENCH_DATABASE) as label:
        forecast_result = bench_forecast(items=args.items, orders=args.orders)
        race = None
        if label == "PostgreSQL":
            race = bench_reservations(threads=args.threads, orders_per_thread=args.orders_per_thread)
        else:
            sys.stdout.write("Reservations under contention: skipped, it needs PostgreSQL (set DATABASE_URL).\n")
        section = _report(label, forecast_result, race, server_version(label))
        results_write(
            "inventory.md",
            title="Inventory benchmarks",
            command="python -m inventory.bench",
            label=label,
            section=section,
        )
        sys.stdout.write(section)
        failed = forecast_result["best"] > 10 or (race is not None and race["oversold"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
