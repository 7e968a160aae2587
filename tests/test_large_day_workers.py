"""Real Celery worker processes share a large day through the real broker and database (routing.parts): two of
them plan a city-sized day (2,000 orders) together, the one that takes the run solving parts as well, and a part
lost with its worker process is delivered again and solved once. Each day is planned exactly once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from conftest import broker_required
from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.models import DeliveryOrder
from routing.models import PlanningPart, PlanningRun, UnplacedOrder
from routing.services import planning_run_start

ROOT = Path(__file__).resolve().parent.parent
ORDERS = 2000


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s")


@pytest.fixture
def city_orders(settings):
    """Build a city with `day_orders` orders due tomorrow over 3 depots, in-process, before any worker starts."""
    from config.celery import app
    from fixtures.city import city_build

    def build(day_orders: int) -> None:
        app.conf.task_always_eager = True
        try:
            households = 6 * day_orders  # half the requests are approved, and a third of those deliver tomorrow
            city_build(households=households, requests=households, day_orders=day_orders)
        finally:
            app.conf.task_always_eager = False

    return build


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def children(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]


@pytest.fixture
def start_workers(settings, tmp_path):
    """Start worker processes on one queue of their own, each named `name@host`; returns them by name."""
    from config.celery import app

    broker_required(settings)
    queue = f"reparto-parts-{uuid.uuid4().hex[:8]}"
    started: list[Worker] = []
    previous_queue = app.conf.task_default_queue

    def start(pools: dict[str, str], *, time_limit_s: int) -> dict[str, Worker]:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "REPARTO_MANIFEST_DIR": str(settings.MANIFEST_DIR),
            "ROUTING_TIME_LIMIT_S": str(time_limit_s),
            "ROUTING_WORKERS": "2",
        }
        workers = {}
        for name, pool in pools.items():
            log = tmp_path / f"{name}.log"
            command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1"]
            command += ["-n", f"{name}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
            command += ["--loglevel=INFO"]
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
            workers[name] = Worker(process, log)
            started.append(workers[name])
        app.conf.task_default_queue = queue
        ready = lambda: all("ready." in w.log.read_text() for w in workers.values())  # noqa: E731
        _wait_for(ready, timeout=60, what="the workers starting")
        return workers

    yield start
    app.conf.task_default_queue = previous_queue
    for worker in started:
        worker.process.terminate()
    for worker in started:
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def _finished(run: PlanningRun) -> bool:
    run.refresh_from_db()
    return run.status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED)


def _planned_once(run: PlanningRun, due) -> None:
    """The run is done, alone for its day, and every order due is on one round or left out with its reason."""
    assert run.status == PlanningRun.Status.DONE, run.error
    assert PlanningRun.objects.filter(date=tomorrow()).count() == 1
    assert set(Round.objects.filter(date=tomorrow()).values_list("run", flat=True)) == {run.pk}
    # One home stop per order; a medication order also has its pharmacy pickup, on the same round, once.
    for kind in Stop.Kind:
        assert not Stop.objects.filter(kind=kind).values("order").annotate(n=Count("pk")).filter(n__gt=1).exists()
    pickups = Stop.objects.filter(kind=Stop.Kind.PICKUP)
    assert pickups.exists()  # seed_city gives a 2,000-order day about 40 medication orders
    homes = dict(Stop.objects.deliveries().filter(order__in=pickups.values("order")).values_list("order", "round"))
    assert dict(pickups.values_list("order", "round")) == homes
    on_rounds = set(Stop.objects.filter(round__run=run).values_list("order", flat=True))
    left_out = set(UnplacedOrder.objects.filter(run=run).values_list("order", flat=True))
    assert on_rounds.isdisjoint(left_out)
    assert on_rounds | left_out == set(due.values_list("pk", flat=True))


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_the_parts_of_a_city_day_and_plan_it_once(city_orders, start_workers):
    city_orders(ORDERS)
    # A dozen parts or so, two at a time: about a second each, so the day takes well under a minute.
    start_workers({"part-a": "solo", "part-b": "solo"}, time_limit_s=10)
    planner = get_user_model().objects.get(username="planificador")
    due = DeliveryOrder.objects.filter(due_date=tomorrow()).exclude(mode=DeliveryOrder.Mode.PICKUP)
    assert due.count() == ORDERS

    run = planning_run_start(actor=planner, date=tomorrow(), publish=False)

    _wait_for(lambda: _finished(run), timeout=120, what="the city day being planned")
    _planned_once(run, due)
    # Both worker processes solved parts of it, and every part was solved.
    parts = PlanningPart.objects.filter(run=run)
    batches = {
        batch: sorted(parts.filter(batch=batch).values_list("index", flat=True))
        for batch in parts.values_list("batch", flat=True)
    }
    assert all(indices == list(range(len(indices))) for indices in batches.values())
    assert min(len(indices) for indices in batches.values()) >= ORDERS // 200  # parts of about 150 orders
    assert set(parts.values_list("status", flat=True)) == {PlanningPart.Status.DONE}
    assert {name.split("@")[0] for name in parts.values_list("solved_by", flat=True)} == {"part-a", "part-b"}


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_part_lost_with_its_worker_process_is_delivered_again_and_the_day_is_planned_once(city_orders, start_workers):
    city_orders(400)
    # Three parts of about eight seconds each: time to see part-b's process take one, and kill it.
    workers = start_workers({"part-a": "solo", "part-b": "prefork"}, time_limit_s=20)
    planner = get_user_model().objects.get(username="planificador")
    due = DeliveryOrder.objects.filter(due_date=tomorrow()).exclude(mode=DeliveryOrder.Mode.PICKUP)
    run = planning_run_start(actor=planner, date=tomorrow(), publish=False)
    solving = PlanningPart.objects.filter(run=run, status=PlanningPart.Status.SOLVING)
    held_by_b = solving.filter(solved_by__startswith="part-b@")
    _wait_for(held_by_b.exists, timeout=60, what="part-b taking a part")
    lost = held_by_b.get()

    for pid in workers["part-b"].children():
        os.kill(pid, signal.SIGKILL)

    _wait_for(lambda: _finished(run), timeout=120, what="the part coming back and the day being planned")
    _planned_once(run, due)
    assert "WorkerLostError" in workers["part-b"].log.read_text()
    task_id = lost.task_id
    lost.refresh_from_db()
    # Solved by the same task delivered again, not taken over by the run's own worker.
    assert (lost.status, lost.task_id) == (PlanningPart.Status.DONE, task_id)
