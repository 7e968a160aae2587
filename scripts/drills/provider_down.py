"""Drill: the SMS provider fails for an hour (docs/operations.md, "Notification provider down").

Time runs sixty times faster: NOTIFICATION_RETRY_BACKOFF_S=1 and NOTIFICATION_RETRY_MAX_WAIT_S=15 stand for the
defaults 60 and 900, NOTIFICATION_MAX_RETRIES keeps its default (8), so one drill second is one real minute.
A real prefork worker sends through ChannelBackend to an HTTP provider stub run here, which answers 503 to:

- message A for 60 s (an hour): it must be sent by a later retry, nothing lost;
- message B all along (longer than the retries last): it must end FAILED with every attempt recorded, and be
  sent once an administrator resends it from the admin after the provider is back.

    .venv/bin/python scripts/drills/provider_down.py [--outage 60] [--keep]
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import common as drill

DATABASE = "reparto_drill_provider"
PHONE_A, PHONE_B = "+34600000101", "+34600000102"


class Provider(ThreadingHTTPServer):
    """Answers 503 to a phone while its outage lasts, 200 with an id afterwards; keeps every call's time."""

    def __init__(self, outages: dict[str, float]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.started = time.monotonic()
        self.outages = outages  # phone -> seconds from start the provider fails for it
        self.calls: dict[str, list[tuple[float, int]]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/messages"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        now = time.monotonic() - self.server.started
        failing = now < self.server.outages.get(payload["to"], 0)
        status = 503 if failing else 200
        self.server.calls.setdefault(payload["to"], []).append((now, status))
        body = json.dumps({"error": "maintenance"} if failing else {"id": f"p-{len(self.server.calls[payload['to']])}"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=60, help="seconds message A's provider fails (1 s = 1 min)")
    parser.add_argument("--keep", action="store_true", help="keep the drill database afterwards")
    options = parser.parse_args()
    drill.clean_logs()
    provider = Provider({PHONE_A: options.outage, PHONE_B: float("inf")})
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    database = drill.database_create(DATABASE)
    broker = f"redis://127.0.0.1:{drill.REDIS_PORT}/0"
    scaled = {"NOTIFICATION_RETRY_BACKOFF_S": "1", "NOTIFICATION_RETRY_MAX_WAIT_S": "15"}
    env = drill.env_for(database, broker, **scaled)
    worker_env = env | {
        "NOTIFICATION_BACKEND": "requests_intake.notifications.ChannelBackend",
        "SMS_PROVIDER_URL": provider.url,
        "WHATSAPP_PROVIDER_URL": provider.url,
    }
    drill.manage("migrate", "--verbosity", "0", env=drill.env_for(database))
    drill.manage("seed_demo", env=drill.env_for(database))
    drill.say(f"database {DATABASE}: demo town; provider stub at {provider.url}; time scaled 1 s = 1 min")

    drill.setup_django(env)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from requests_intake.models import Household, Notification
    from requests_intake.services import aid_request_register

    drill.say(
        f"retries {settings.NOTIFICATION_MAX_RETRIES}, backoff {settings.NOTIFICATION_RETRY_BACKOFF_S} s, "
        f"longest wait {settings.NOTIFICATION_RETRY_MAX_WAIT_S} s"
    )
    redis = drill.redis_start()
    worker = drill.worker_start(worker_env)
    try:
        drill.wait_for(drill.worker_ready, timeout=60, what="the worker starting")
        operator = get_user_model().objects.get(username="operadora")
        provider.started = time.monotonic()  # the outage starts with the messages
        sent = {}
        for phone in (PHONE_A, PHONE_B):
            household = Household.objects.filter(phone="").first() or Household.objects.first()
            Household.objects.filter(pk=household.pk).update(phone=phone)
            household.refresh_from_db()
            request = aid_request_register(actor=operator, household=household, channel="phone", needs=["food"])
            sent[phone] = request.notifications.get(event=Notification.Event.RECEIVED)
        drill.say(f"message A ({PHONE_A}) down {options.outage:.0f} s; message B ({PHONE_B}) down all along")

        a, b = sent[PHONE_A], sent[PHONE_B]
        drill.wait_for(
            lambda: _status(a) != "pending", timeout=options.outage + 60, every=0.5, what="A leaving pending"
        )
        drill.say(f"A: {a.status.upper()} after {a.attempts} attempts; calls {_calls(provider, PHONE_A)}")
        drill.wait_for(lambda: _status(b) != "pending", timeout=150, every=0.5, what="B leaving pending")
        drill.say(
            f"B: {b.status.upper()} after {b.attempts} attempts; last error {b.last_error!r}; "
            f"calls {_calls(provider, PHONE_B)}"
        )
        drill.expect(a.status == "sent", "A was not sent once the provider came back")
        drill.expect(b.status == "failed", "B did not end failed")

        provider.outages[PHONE_B] = 0  # the provider is back; an administrator resends from the admin
        admin = Client()
        admin.force_login(get_user_model().objects.get(username="admin"))
        answer = admin.post(
            "/admin/requests_intake/notification/",
            {"action": "notifications_resend_action", "_selected_action": [b.pk]},
            follow=True,
        )
        drill.say(f"admin 'resend the failed messages' on B: {answer.status_code}")
        drill.wait_for(lambda: _status(b) == "sent", timeout=30, every=0.5, what="B being resent")
        drill.say(f"B: {b.status.upper()} after {b.attempts} attempts in all; provider id {b.provider_id!r}")
    finally:
        drill.stop(worker)
        drill.stop(redis)
        provider.shutdown()
    retries = drill.log_lines("worker", "retry: Retry in")
    drill.say(f"worker log: {len(retries)} 'Retry in' lines, e.g. {retries[0][:160] if retries else '-'}")
    if not options.keep:
        from django.db import connections

        connections.close_all()
        drill.database_drop(DATABASE)
    return 0


def _status(notification) -> str:
    notification.refresh_from_db()
    return notification.status


def _calls(provider: Provider, phone: str) -> str:
    return ", ".join(f"{at:.0f}s:{status}" for at, status in provider.calls.get(phone, []))


if __name__ == "__main__":
    sys.exit(main())
