"""The fault drills of docs/operations.md that fit in a test: real Celery workers on the real broker and database.

- the broker is down when a plan is asked for: the run waits, queued, and is planned once the broker is back;
- the worker process planning the day is killed: the task comes back and the day is planned exactly once;
- the SMS provider keeps failing: the message is retried with growing waits, then FAILED, then resent.
Plus the arithmetic of the notification retry defaults, which must outlast an hour's outage."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from conftest import broker_required
from core.tests.factories import UserFactory, tomorrow
from delivery.models import Round, Stop
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from requests_intake.services import aid_request_register
from requests_intake.tasks import retry_wait_s
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_start
from routing.tasks import planning_runs_resume_task
from tests.scenarios import approved_order

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s")


def _status(run: PlanningRun) -> str:
    run.refresh_from_db()
    return run.status


class Worker:
    """A real `celery worker` on a queue of its own, pointed at the test database."""

    def __init__(self, queue: str, process: subprocess.Popen, log: Path):
        self.queue, self.process, self.log = queue, process, log

    def children(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def ready(self) -> bool:
        return "ready." in self.log.read_text()


@pytest.fixture
def start_worker(settings, tmp_path):
    """Start workers with extra environment; the test process sends its tasks to the last one's queue."""
    from config.celery import app

    broker_required(settings)
    started: list[Worker] = []
    previous_queue = app.conf.task_default_queue

    def start(*, pool: str = "solo", **extra: str) -> Worker:
        queue = f"reparto-drill-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "REPARTO_MANIFEST_DIR": str(settings.MANIFEST_DIR),
            "ROUTING_TIME_LIMIT_S": "1",
            **extra,
        }
        log = tmp_path / f"worker-{queue}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1"]
        command += ["-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        worker = Worker(queue, process, log)
        started.append(worker)
        app.conf.task_default_queue = queue
        _wait_for(worker.ready, timeout=30, what="the worker starting")
        return worker

    yield start
    app.conf.task_default_queue = previous_queue
    for worker in started:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_plan_asked_for_while_the_broker_is_down_waits_queued_and_runs_when_it_is_back(
    role_users, start_worker, client
):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    dead_broker = f"redis://127.0.0.1:{_closed_port()}/0"

    result = subprocess.run(
        [sys.executable, "manage.py", "plan_day", "--username", "logistics_planner"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": dead_broker},
        capture_output=True,
        text=True,
        timeout=50,
    )

    assert result.returncode == 0, result.stderr
    run = PlanningRun.objects.get()
    assert (run.status, run.task_id, Round.objects.count()) == (PlanningRun.Status.QUEUED, "", 0)
    client.force_login(role_users["logistics_planner"])
    board = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()
    assert "Planning in progress" in board
    assert "Queued" in board

    start_worker()  # the broker is back, with a worker; beat's every-minute job sends the run again
    assert planning_runs_resume_task.delay().get(timeout=30) == [run.pk]

    _wait_for(lambda: _status(run) == PlanningRun.Status.DONE, timeout=30, what="the run being planned")
    assert list(Stop.objects.values_list("order", flat=True)) == [order.pk]
    assert PlanningRun.objects.count() == 1


@pytest.fixture
def demo_town(settings):
    """The demo town (60 orders for tomorrow), built in-process before any worker starts."""
    from config.celery import app
    from fixtures.demo_city import demo_city_build

    app.conf.task_always_eager = True
    try:
        demo_city_build()
    finally:
        app.conf.task_always_eager = False


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_plan_hands_the_task_back_and_the_day_is_planned_exactly_once(demo_town, start_worker):
    worker = start_worker(pool="prefork", ROUTING_TIME_LIMIT_S="4")
    planner = get_user_model().objects.get(username="planificador")
    run = planning_run_start(actor=planner, date=tomorrow(), publish=True)
    _wait_for(lambda: _status(run) == "running" and run.progress > 30, timeout=30, what="the search starting")
    first_start = run.started_at

    for pid in worker.children():
        os.kill(pid, signal.SIGKILL)

    # The demo town's past weeks have rounds of their own: only the day planned here counts.
    day = Round.objects.filter(date=run.date)
    assert not day.exists()  # nothing of the killed search was stored
    _wait_for(lambda: _status(run) in ("done", "failed"), timeout=40, what="the task coming back and finishing")
    assert run.status == PlanningRun.Status.DONE, run.error
    assert run.started_at > first_start  # taken over by the redelivered task, not left to the dead one
    assert "WorkerLostError" in worker.log.read_text()
    assert set(day.values_list("run", flat=True)) == {run.pk}
    # A medication order's pharmacy pickup is its second stop: one home stop per order.
    stops = Stop.objects.filter(round__date=run.date, kind=Stop.Kind.DELIVERY)
    assert not stops.values("order").annotate(n=Count("pk")).filter(n__gt=1).exists()
    planned = DeliveryOrder.objects.filter(status=DeliveryOrder.Status.PLANNED).count()
    assert planned == stops.count() > 0


class _FailingProvider(ThreadingHTTPServer):
    """An SMS provider that answers 503 until it is told it is back; keeps the time of every call."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ProviderHandler)
        self.down = True
        self.calls: list[tuple[float, int]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/messages"


class _ProviderHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        self.rfile.read(int(self.headers["Content-Length"]))
        status = 503 if self.server.down else 200
        self.server.calls.append((time.monotonic(), status))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"error": "maintenance"} if self.server.down else {"id": "sms-1"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_provider():
    server = _FailingProvider()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_the_provider_keeps_refusing_is_retried_with_growing_waits_then_failed_and_resent(
    start_worker, failing_provider, client
):
    worker = start_worker(
        NOTIFICATION_BACKEND="requests_intake.notifications.ChannelBackend",
        SMS_PROVIDER_URL=failing_provider.url,
        NOTIFICATION_MAX_RETRIES="3",
        NOTIFICATION_RETRY_BACKOFF_S="1",
        NOTIFICATION_RETRY_MAX_WAIT_S="2",
    )
    request = aid_request_register(
        actor=None, household=HouseholdFactory(phone="+34600111222"), channel="phone", needs=["food"]
    )
    message = request.notifications.get()

    _wait_for(lambda: Notification.objects.get(pk=message.pk).status != "pending", timeout=40, what="the retries")

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 4)
    assert message.last_error == 'sms provider answered 503: {"error": "maintenance"}'
    # 1 s, doubled, then capped at the longest wait; and no attempt came before its wait was over.
    assert re.findall(r"Retry in (\d+)s", worker.log.read_text()) == ["1", "2", "2"]
    times = [at for at, _status in failing_provider.calls]
    waits = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert [wait >= least for wait, least in zip(waits, [0.95, 1.95, 1.95], strict=True)] == [True] * 3

    failing_provider.down = False  # the provider is back: an administrator resends from the admin
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.post(
        reverse("admin:requests_intake_notification_changelist"),
        {"action": "notifications_resend_action", "_selected_action": [message.pk]},
    )
    _wait_for(lambda: Notification.objects.get(pk=message.pk).status == "sent", timeout=20, what="the resend")
    message.refresh_from_db()
    assert (message.attempts, message.provider_id) == (5, "sms-1")


def test_the_default_retries_outlast_an_hour_of_provider_outage():
    waits = [retry_wait_s(done) for done in range(django_settings.NOTIFICATION_MAX_RETRIES)]

    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]
    assert sum(waits) == 4500  # 75 minutes from the first attempt to the last


def test_a_retry_never_waits_longer_than_the_longest_wait(settings):
    settings.NOTIFICATION_RETRY_BACKOFF_S = 60
    settings.NOTIFICATION_RETRY_MAX_WAIT_S = 900

    assert [retry_wait_s(done) for done in (3, 4, 20)] == [480, 900, 900]


@pytest.mark.parametrize(
    ("variables", "complaint"),
    [
        ({"NOTIFICATION_RETRY_MAX_WAIT_S": "3600"}, "NOTIFICATION_RETRY_MAX_WAIT_S=3600 must be"),
        ({"NOTIFICATION_RETRY_BACKOFF_S": "120", "NOTIFICATION_RETRY_MAX_WAIT_S": "60"}, "at least"),
        ({"NOTIFICATION_RETRY_MAX_WAIT_S": "ten"}, "NOTIFICATION_RETRY_MAX_WAIT_S"),
    ],
)
def test_a_longest_wait_outside_its_range_is_refused_at_startup(variables, complaint):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", **variables},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr
