"""Drill: the worker process planning the day is killed (kill -9) in the middle of the search
(docs/operations.md, "Worker killed mid-plan").

The demo town, planned and published once in-process (the plan drivers have). Then the planner plans the day
again through the broker: a prefork worker with one child, ROUTING_TIME_LIMIT_S=20. While the child searches,
the drill kills it with SIGKILL, checks the published plan is untouched and nothing of the new one was stored,
then waits for the task to come back (acks late + reject on worker lost) and checks exactly one plan remains.

    .venv/bin/python scripts/drills/worker_killed.py [--time-limit 20] [--keep]
"""

import argparse
import datetime as dt
import os
import signal
import sys
import time

import common as drill

DATABASE = "reparto_drill_worker"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=int, default=20, help="ROUTING_TIME_LIMIT_S of the worker")
    parser.add_argument("--keep", action="store_true", help="keep the drill database afterwards")
    options = parser.parse_args()
    drill.clean_logs()
    database = drill.database_create(DATABASE)
    broker = f"redis://127.0.0.1:{drill.REDIS_PORT}/0"
    env = drill.env_for(database, broker, ROUTING_TIME_LIMIT_S=str(options.time_limit))
    in_process = drill.env_for(database, ROUTING_TIME_LIMIT_S="5")
    drill.manage("migrate", "--verbosity", "0", env=in_process)
    drill.manage("seed_demo", env=in_process)
    drill.manage("plan_day", env=in_process)
    drill.say(f"database {DATABASE}: demo town, tomorrow planned and published in-process")

    drill.setup_django(env)
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from delivery.models import Round, Stop
    from logistics.models import DeliveryOrder
    from routing.models import PlanningRun
    from routing.services import planning_run_start

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    published = PlanningRun.objects.get(date=tomorrow)
    before = _plan_rows(published)
    drill.say(f"published plan (run {published.pk}): {before['rounds']} rounds, {before['stops_count']} stops")

    redis = drill.redis_start()
    worker = drill.worker_start(env)
    try:
        drill.wait_for(drill.worker_ready, timeout=60, what="the worker starting")
        planner = get_user_model().objects.get(username="planificador")
        run = planning_run_start(actor=planner, date=tomorrow, publish=True)  # sent when this commits (autocommit)
        drill.say(f"run {run.pk} queued; worker ROUTING_TIME_LIMIT_S={options.time_limit}")
        drill.wait_for(lambda: _progress(run) >= 35, timeout=60, what="the run reaching the search")
        time.sleep(2)
        children = drill.pool_children(worker)
        progress = _progress(run)
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        run.refresh_from_db()
        first_task, first_start = run.task_id, run.started_at
        drill.say(f"kill -9 pool child {children} while run {run.pk} is {run.status} at {progress} %")
        time.sleep(0.5)
        after_kill = _plan_rows(published)
        stored = Round.objects.filter(run=run).count()
        drill.say(
            f"just after the kill: published plan {after_kill['rounds']} rounds / {after_kill['stops_count']} "
            f"stops (unchanged: {after_kill == before}); rounds of run {run.pk}: {stored}"
        )
        drill.expect(after_kill == before and stored == 0, "the kill left a half-written plan")

        drill.wait_for(lambda: _took_over(run, first_start), timeout=60, every=0.1, what="the task coming back")
        drill.say(
            f"task {first_task} delivered again and taking over, {time.monotonic() - killed_at:.1f} s after the kill"
        )
        drill.wait_for(
            lambda: _status(run) in ("done", "failed"), timeout=3 * options.time_limit + 60, what="the run finishing"
        )
        run.refresh_from_db()
        drill.say(
            f"run {run.pk} {run.status.upper()} {time.monotonic() - killed_at:.1f} s after the kill "
            f"(task {run.task_id}, same: {run.task_id == first_task})"
        )
        drill.expect(run.status == PlanningRun.Status.DONE, f"the run failed: {run.error}")
    finally:
        drill.stop(worker)
        drill.stop(redis)

    for line in drill.log_lines("worker", "exited with", "WorkerLostError(", " received", "succeeded in"):
        drill.say(f"worker log: {line[:200]}")
    rounds = Round.objects.filter(date=tomorrow)
    runs_with_rounds = sorted(set(rounds.values_list("run_id", flat=True)))
    stops = Stop.objects.filter(round__date=tomorrow)
    repeated = stops.values("order").annotate(n=Count("pk")).filter(n__gt=1).count()
    planned = DeliveryOrder.objects.filter(status=DeliveryOrder.Status.PLANNED, due_date__lte=tomorrow).count()
    drill.say(
        f"rounds for the day: {rounds.count()}, all of run(s) {runs_with_rounds}; stops {stops.count()}, "
        f"orders on two stops {repeated}; orders planned {planned}; left out {run.unplaced.count()}"
    )
    drill.expect(runs_with_rounds == [run.pk], f"rounds of other runs remain: {runs_with_rounds}")
    drill.expect(repeated == 0 and planned == stops.count(), "orders planned twice or not marked planned")
    drill.stock_checked(env)
    if not options.keep:
        from django.db import connections

        connections.close_all()
        drill.database_drop(DATABASE)
    return 0


def _plan_rows(run) -> dict:
    from delivery.models import Round, Stop

    return {
        "rounds": Round.objects.filter(run=run).count(),
        "stops": sorted(Stop.objects.filter(round__run=run).values_list("pk", "order_id", "sequence")),
    } | {"stops_count": Stop.objects.filter(round__run=run).count()}


def _status(run) -> str:
    run.refresh_from_db()
    return run.status


def _progress(run) -> int:
    run.refresh_from_db()
    return run.progress


def _took_over(run, first_start) -> bool:
    # The redelivered task writes started_at anew when it takes the run over.
    run.refresh_from_db()
    return run.started_at != first_start


if __name__ == "__main__":
    sys.exit(main())
