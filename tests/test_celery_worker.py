"""The planning task runs on a real Celery worker through the real broker, against the real database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from conftest import broker_required
from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from routing.models import PlanningRun
from routing.tasks import plan_day
from tests.scenarios import approved_order

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_queue(settings):
    """Start a worker on a queue of its own, pointed at the test database; yield the queue name."""
    from config.celery import app

    broker_required(settings)

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"
    queue = f"reparto-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "REPARTO_MANIFEST_DIR": str(settings.MANIFEST_DIR),
        "ROUTING_TIME_LIMIT_S": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_plans_the_day_through_the_broker(role_users, worker_queue):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    result = plan_day.apply_async(args=[run.pk], queue=worker_queue)

    assert result.get(timeout=120) == run.pk
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE
    assert Stop.objects.get().order == order
    # The worker also sent the messages queued before the plan: received and approved.
    sent = set(Notification.objects.filter(status="sent").values_list("event", flat=True))
    assert {"received", "approved"} <= sent
