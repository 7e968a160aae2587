"""Planning survives the broker going down and a worker dying: nothing lost, never planned twice at once."""

import datetime as dt

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.tests.factories import tomorrow
from delivery.models import Round
from logistics.tests.factories import VehicleFactory
from routing import services
from routing.models import PlanningRun
from routing.services import planning_run_execute, planning_run_start, planning_runs_resume, stale_after
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(role_users):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    return order


def _running(role_users, *, task_id: str, started: dt.datetime) -> PlanningRun:
    return PlanningRun.objects.create(
        date=tomorrow(),
        requested_by=role_users["logistics_planner"],
        status=PlanningRun.Status.RUNNING,
        task_id=task_id,
        started_at=started,
    )


def test_with_the_broker_down_the_run_waits_queued_and_the_page_does_not_break(
    role_users, day, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("routing.tasks.plan_day.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        run = planning_run_start(actor=role_users["logistics_planner"], date=tomorrow())
    run.refresh_from_db()
    assert (run.status, run.task_id) == (PlanningRun.Status.QUEUED, "")  # kept, and known never to have been sent

    monkeypatch.undo()  # the broker is back: beat's next minute sends it, and it is planned
    assert planning_runs_resume() == [run.pk]
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE
    assert Round.objects.filter(run=run).count() == 1


def test_a_run_another_worker_is_planning_is_left_to_it(role_users, day):
    run = _running(role_users, task_id="task-a", started=timezone.now())

    planning_run_execute(run_id=run.pk, task_id="task-b")

    run.refresh_from_db()
    assert (run.status, run.task_id) == (PlanningRun.Status.RUNNING, "task-a")
    assert not Round.objects.exists()


def test_the_same_task_delivered_again_after_its_worker_died_takes_over(role_users, day):
    run = _running(role_users, task_id="task-a", started=timezone.now())

    planning_run_execute(run_id=run.pk, task_id="task-a")

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE
    assert Round.objects.filter(run=run).count() == 1


def test_a_run_left_running_far_too_long_is_taken_over_and_resent(role_users, day, monkeypatch):
    long_ago = timezone.now() - stale_after() - dt.timedelta(seconds=1)
    dead = _running(role_users, task_id="task-a", started=long_ago)
    alive = PlanningRun.objects.create(
        date=tomorrow() + dt.timedelta(days=1),
        requested_by=role_users["logistics_planner"],
        status=PlanningRun.Status.RUNNING,
        task_id="task-c",
        started_at=timezone.now(),
    )
    sent = []
    monkeypatch.setattr(services, "planning_run_send", sent.append)

    assert planning_runs_resume() == [dead.pk]
    assert sent == [dead.pk]
    assert alive.pk not in sent


def test_a_queued_run_that_was_sent_is_not_sent_again_while_it_waits_its_turn(role_users, monkeypatch):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], task_id="task-q")
    sent = []
    monkeypatch.setattr(services, "planning_run_send", sent.append)

    assert planning_runs_resume() == []
    PlanningRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - stale_after() - dt.timedelta(seconds=1))
    assert planning_runs_resume() == [run.pk]  # lost with the broker's queue: sent again
