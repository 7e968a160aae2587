"""Two real Celery worker processes share a city-sized day (2,000 orders) through the real broker and database: the
one that takes the run splits the day and solves parts, the other solves parts too, and the day is planned once."""

import os
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
from logistics.models import DeliveryOrder
from routing.models import PlanningPart, PlanningRun, Round, Stop, UnplacedOrder
from routing.services import planning_run_start
from tests.factories import tomorrow

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
def city_day_orders(settings):
    """A city with 2,000 orders due tomorrow over 3 depots and 60 vans, built in-process before any worker starts."""
    from config.celery import app
    from fixtures.city import city_build

    app.conf.task_always_eager = True
    try:
        city_build(households=12_000, requests=12_000, day_orders=ORDERS)
    finally:
        app.conf.task_always_eager = False


@pytest.fixture
def two_workers(settings, tmp_path):
    """Two worker processes on one queue of their own, named part-a and part-b; yields their logs."""
    from config.celery import app

    broker_required(settings)
    queue = f"reparto-parts-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "REPARTO_MANIFEST_DIR": str(settings.MANIFEST_DIR),
        # A dozen parts or so, two at a time: about a second each, so the day takes well under a minute.
        "ROUTING_TIME_LIMIT_S": "10",
        "ROUTING_WORKERS": "2",
    }
    workers, logs = [], []
    for name in ("part-a", "part-b"):
        log = tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1"]
        command += ["-n", f"{name}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--loglevel=INFO"]
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT))
        logs.append(log)
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        _wait_for(lambda: all("ready." in log.read_text() for log in logs), timeout=30, what="both workers starting")
        yield logs
    finally:
        app.conf.task_default_queue = previous_queue
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_the_parts_of_a_city_day_and_plan_it_once(city_day_orders, two_workers):
    planner = get_user_model().objects.get(username="planificador")
    due = DeliveryOrder.objects.filter(due_date=tomorrow()).exclude(mode=DeliveryOrder.Mode.PICKUP)
    assert due.count() == ORDERS

    run = planning_run_start(actor=planner, date=tomorrow(), publish=False)

    def finished() -> bool:
        run.refresh_from_db()
        return run.status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED)

    _wait_for(finished, timeout=120, what="the city day being planned")
    assert run.status == PlanningRun.Status.DONE, run.error
    assert PlanningRun.objects.filter(date=tomorrow()).count() == 1
    assert set(Round.objects.filter(date=tomorrow()).values_list("run", flat=True)) == {run.pk}
    # Every order of the day once: on one round, or left out with its reason.
    assert not Stop.objects.values("order").annotate(n=Count("pk")).filter(n__gt=1).exists()
    on_rounds = set(Stop.objects.filter(round__run=run).values_list("order", flat=True))
    left_out = set(UnplacedOrder.objects.filter(run=run).values_list("order", flat=True))
    assert on_rounds.isdisjoint(left_out)
    assert on_rounds | left_out == set(due.values_list("pk", flat=True))
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
