"""Drill: the broker is down while a planning run is queued (docs/operations.md, "Broker down").

The demo town on a database of its own; Redis (the drill's own, port DRILL_REDIS_PORT) not running. The planner
plans tomorrow from the board; a gateway message arrives. Then Redis, a worker and beat start, and the drill waits
for beat's every-minute job to send the run again. It checks the run is planned once, every order accounted for,
and reports what happened to the message.

    .venv/bin/python scripts/drills/broker_down.py [--keep]
"""

import argparse
import datetime as dt
import json
import sys
import time

import common as drill

DATABASE = "reparto_drill_broker"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the drill database afterwards")
    options = parser.parse_args()
    drill.clean_logs()
    database = drill.database_create(DATABASE)
    broker = f"redis://127.0.0.1:{drill.REDIS_PORT}/0"
    env = drill.env_for(database, broker)
    drill.say(f"database {DATABASE}; broker {broker} (not started: down)")
    seed_env = drill.env_for(database)  # seeding runs its tasks in-process
    drill.manage("migrate", "--verbosity", "0", env=seed_env)
    drill.manage("seed_demo", env=seed_env)
    token = drill.manage("gateway_token", "drill-gateway", env=seed_env).stdout.strip()
    drill.say("demo town loaded (60 requests approved for tomorrow)")

    drill.setup_django(env)
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from delivery.models import Round, Stop
    from logistics.models import DeliveryOrder
    from requests_intake.models import Notification
    from routing.models import PlanningRun

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    web = Client()
    health = web.get("/health/")
    drill.say(f"GET /health/ -> {health.status_code} {json.loads(health.content)}")

    web.force_login(_user("planificador"))
    started = time.monotonic()
    answer = web.post("/planning/", {"date": tomorrow.isoformat()}, follow=True)
    took = time.monotonic() - started
    page = answer.content.decode()
    run = PlanningRun.objects.get(date=tomorrow)
    drill.say(
        f"planner POSTs 'plan the day': {answer.status_code} in {took:.2f} s; run {run.pk} {run.status}, "
        f"task_id {run.task_id!r}"
    )
    drill.say(f"the board shows: {_board_text(page)}")

    gateway = Client()
    message = {
        "channel": "whatsapp",
        "contact": "+34611222333",
        "body": "Necesito ayuda con comida",
        "external_id": "drill-1",
        "name": "Marta Ruiz",
    }
    answer = gateway.post(
        "/api/intake/messages/", message, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    drill.say(f"gateway message while the broker is down: {answer.status_code}")

    time.sleep(max(0.0, 31 - (time.monotonic() - started)))  # the board's waiting note shows after half a minute
    board = web.get(f"/planning/?date={tomorrow.isoformat()}").content.decode()
    drill.say(f"the board {time.monotonic() - started:.0f} s after asking shows: {_board_text(board)}")
    run.refresh_from_db()
    pending = list(Notification.objects.filter(status="pending").values_list("pk", "event", "attempts"))
    drill.say(f"run {run.status}, task_id {run.task_id!r}; notifications pending {pending}")
    drill.expect(run.status == PlanningRun.Status.QUEUED and run.task_id == "", "the run did not wait, queued")

    redis = drill.redis_start()
    back = time.monotonic()
    drill.say("Redis started")
    worker = drill.worker_start(env)
    beat = drill.celery("beat", "--loglevel=INFO", env=env, log="beat")
    try:
        drill.wait_for(drill.worker_ready, timeout=60, what="the worker starting")
        drill.say("worker ready, beat started; waiting for beat's routing-runs-resume (every minute)")
        drill.wait_for(lambda: _status(run) == PlanningRun.Status.RUNNING, timeout=90, what="the run being resent")
        drill.say(f"run {run.pk} RUNNING, {time.monotonic() - back:.1f} s after Redis came back")
        drill.wait_for(lambda: _status(run) in ("done", "failed"), timeout=120, what="the run finishing")
        run.refresh_from_db()
        drill.say(f"run {run.pk} {run.status.upper()}, {time.monotonic() - back:.1f} s after Redis came back")
        drill.expect(run.status == PlanningRun.Status.DONE, f"the run failed: {run.error}")
        time.sleep(3)  # the messages queued by the new plan, if any
    finally:
        for process in (beat, worker, redis):
            drill.stop(process)

    runs = PlanningRun.objects.filter(date=tomorrow).count()
    rounds = Round.objects.filter(date=tomorrow, run=run).count()
    stops = Stop.objects.filter(round__run=run)
    on_rounds = stops.values("order").distinct().count()
    orders = DeliveryOrder.objects.filter(due_date__lte=tomorrow).exclude(status__in=["cancelled", "delivered"])
    unplaced = run.unplaced.count()
    pickups = orders.filter(mode=DeliveryOrder.Mode.PICKUP).count()
    drill.say(
        f"runs for the day {runs}; rounds {rounds}; stops {stops.count()} for {on_rounds} distinct orders; "
        f"left out with a reason {unplaced}; pick-ups (never on a van) {pickups}; "
        f"open orders due {orders.count()}"
    )
    resent = drill.log_lines("beat", "routing-runs-resume", "planning_runs_resume")
    drill.say(f"beat log: {len(resent)} sends of routing-runs-resume")
    for pk, event, status, attempts in Notification.objects.values_list("pk", "event", "status", "attempts"):
        if status != "sent":
            drill.say(f"notification {pk} ({event}) is {status} after {attempts} attempts")
    counts = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).order_by())
    drill.say(f"notifications by status: {counts}")
    drill.stock_checked(env)
    if not options.keep:
        from django.db import connections

        connections.close_all()
        drill.database_drop(DATABASE)
    return 0


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _status(run) -> str:
    run.refresh_from_db()
    return run.status


def _board_text(page: str) -> str:
    import re

    text = re.sub(r"<[^>]+>", " ", page)
    text = re.sub(r"\s+", " ", text)
    phrases = ("Planning has started", "Planning in progress", "Queued")
    phrases += ("La planificación ha empezado", "Planificación en curso", "En cola")  # the same, in Spanish
    found = [phrase for phrase in phrases if phrase in text]
    waiting = re.search(r"<p [^>]*data-waiting(?P<hidden> hidden)?[^>]*>(?P<text>[^<]*)", page)
    if waiting and not waiting["hidden"]:
        found.append(f"“{waiting['text'].strip()}”")
    return ", ".join(found) or "(none of the expected phrases)"


if __name__ == "__main__":
    sys.exit(main())
