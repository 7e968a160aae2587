"""Drill: PostgreSQL restarts while people use Reparto (docs/operations.md, "Database restarted").

A PostgreSQL cluster of the drill's own (same server version as the machine's, port DRILL_PG_PORT 5434) holds the
demo town; gunicorn serves it as `make serve-prod` does (DJANGO_DEBUG=0, DATABASE_CONN_MAX_AGE=60, connection
health checks on). Three clients run for the whole drill: the health endpoint, a signed-in intake search, and a
gateway posting messages (each a write of a request, its message and its notification in one transaction).
Half-way, the cluster is restarted (`pg_ctl restart -m fast`). The drill reports what each client saw, when they
recovered, resends what failed (as a gateway does, same message id) and checks no write was left half-done.

    .venv/bin/python scripts/drills/db_restart.py [--before 10] [--after 20] [--keep]
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import common as drill

PORT = int(os.environ.get("DRILL_PG_PORT", "5434"))
CLUSTER = Path("/tmp/reparto-drill-pg")
SERVER = f"postgres://postgres@127.0.0.1:{PORT}"
SERVER_OPTIONS = f"-p {PORT} -k {CLUSTER} -c listen_addresses=127.0.0.1"
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"


def pg(*args: str) -> subprocess.CompletedProcess:
    """pg_ctl/initdb as the postgres user, on the drill's cluster."""
    command = ["runuser", "-u", "postgres", "--", str(PG_BIN / args[0]), *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def cluster_start() -> None:
    if not (CLUSTER / "PG_VERSION").exists():
        shutil.rmtree(CLUSTER, ignore_errors=True)
        CLUSTER.mkdir(parents=True)
        shutil.chown(CLUSTER, "postgres", "postgres")
        pg("initdb", "-D", str(CLUSTER / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        (CLUSTER / "PG_VERSION").write_text("drill")
    pg(
        "pg_ctl",
        "-D",
        str(CLUSTER / "data"),
        "-l",
        str(CLUSTER / "data" / "server.log"),
        "-w",
        "-o",
        SERVER_OPTIONS,
        "start",
    )


def cluster_stop() -> None:
    pg("pg_ctl", "-D", str(CLUSTER / "data"), "-m", "fast", "-w", "stop")


class Clients:
    """Requests in a loop from threads; every answer kept as (seconds since start, client, status or error)."""

    def __init__(self, port: int, session: str, token: str):
        self.port, self.session, self.token = port, session, token
        self.started = time.monotonic()
        self.results: list[tuple[float, str, str]] = []
        self.errors_seen: dict[str, str] = {}
        self.gateway_ids: dict[str, str] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def _call(self, client: str, method: str, path: str, body: bytes | None = None, headers=None) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            content = answer.read()
            outcome = str(answer.status)
            if answer.status >= 400:
                self.errors_seen.setdefault(f"{client} {outcome}", content.decode("utf-8", "replace")[:600])
        except (OSError, http.client.HTTPException) as exc:
            outcome = type(exc).__name__
            self.errors_seen.setdefault(f"{client} {outcome}", str(exc))
        finally:
            connection.close()
        with self._lock:
            self.results.append((time.monotonic() - self.started, client, outcome))
        return outcome

    def _health(self):
        while not self._stop.wait(0.1):
            self._call("health", "GET", "/health/")

    def _search(self):
        while not self._stop.wait(0.1):
            self._call("intake search", "GET", "/intake/?q=garc", headers={"Cookie": f"sessionid={self.session}"})

    def _gateway(self):
        number = 0
        while not self._stop.wait(0.1):
            number += 1
            self.gateway_send(f"drill-{number}")

    def gateway_send(self, external_id: str) -> str:
        body = {
            "channel": "whatsapp",
            "contact": f"+346{abs(hash(external_id)) % 10**8:08d}",
            "body": "Necesito comida",
            "external_id": external_id,
            "name": "Prueba Simulacro",
        }
        headers = {"Content-Type": "application/json", "Authorization": f"Token {self.token}"}
        outcome = self._call("gateway", "POST", "/api/intake/messages/", json.dumps(body).encode(), headers)
        self.gateway_ids[external_id] = outcome
        return outcome

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=t, daemon=True) for t in (self._health, self._search, self._gateway)]
        for thread in threads:
            thread.start()
        return threads

    def stop(self, threads) -> None:
        self._stop.set()
        for thread in threads:
            thread.join(timeout=40)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=10, help="seconds of traffic before the restart")
    parser.add_argument("--after", type=float, default=20, help="seconds of traffic after the restart")
    parser.add_argument(
        "--down", type=float, default=0, help="keep PostgreSQL stopped this many seconds instead of a plain restart"
    )
    parser.add_argument("--keep", action="store_true", help="leave the drill's PostgreSQL cluster running")
    options = parser.parse_args()
    drill.clean_logs()
    cluster_start()
    try:
        return _drill(options)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            cluster_stop()
            shutil.rmtree(CLUSTER, ignore_errors=True)


def _drill(options) -> int:
    database = drill.database_create("reparto", server=SERVER)
    broker = f"redis://127.0.0.1:{drill.REDIS_PORT}/0"
    secret = secrets.token_urlsafe(50)
    plain = drill.env_for(database, SECRET_KEY=secret)
    drill.manage("migrate", "--verbosity", "0", env=plain)
    drill.manage("seed_demo", env=plain)
    token = drill.manage("gateway_token", "drill-gateway", env=plain).stdout.strip()
    drill.manage("collectstatic", "--noinput", "--verbosity", "0", env=plain)
    version = subprocess.run([str(PG_BIN / "postgres"), "--version"], capture_output=True, text=True).stdout.strip()
    drill.say(f"own cluster {version} on port {PORT}; demo town loaded")

    production = drill.env_for(
        database,
        broker,
        DJANGO_DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        COOKIES_SECURE="0",
        DATABASE_CONN_MAX_AGE="60",
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        WEBHOOK_RATE_PER_MINUTE="100000",
    )
    drill.setup_django(plain)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from core.accounts import password_change_clear

    operator = get_user_model().objects.get(username="operadora")
    # The server runs with DJANGO_DEBUG=0, where a demo account must first change its published password.
    password_change_clear(user=operator)
    browser = Client()
    browser.force_login(operator)
    session = browser.cookies["sessionid"].value
    from requests_intake.models import AidRequest

    last_before = AidRequest.objects.order_by("pk").last().pk

    redis = drill.redis_start()
    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(drill.PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "120",
        ],
        cwd=drill.ROOT,
        env=production,
        stdout=drill._log("gunicorn"),
        stderr=subprocess.STDOUT,
    )
    clients = Clients(port, session, token)
    try:
        drill.wait_for(lambda: _answers(port), timeout=60, what="gunicorn starting")
        clients.started = time.monotonic()
        threads = clients.start()
        time.sleep(options.before)
        restart_at = time.monotonic() - clients.started
        if options.down:
            cluster_stop()
            time.sleep(options.down)
            cluster_start()
        else:
            pg(
                "pg_ctl",
                "-D",
                str(CLUSTER / "data"),
                "-l",
                str(CLUSTER / "data" / "server.log"),
                "-m",
                "fast",
                "-w",
                "restart",
                "-o",
                SERVER_OPTIONS,
            )
        restarted_at = time.monotonic() - clients.started
        drill.say(f"PostgreSQL restarted: down from t={restart_at:.1f} s to t={restarted_at:.1f} s of the traffic")
        time.sleep(options.after)
        clients.stop(threads)
        failed = [eid for eid, outcome in clients.gateway_ids.items() if outcome != "201"]
        resent = Counter(clients.gateway_send(eid) for eid in failed)
        drill.say(f"the gateway resends its {len(failed)} failed messages (same ids): {dict(resent)}")
    finally:
        drill.stop(gunicorn)
        drill.stop(redis)

    _report(clients, restart_at, restarted_at)
    _check_writes(clients, plain, last_before)
    return 0


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/health/")
        return connection.getresponse().status in (200, 503)
    except OSError:
        return False


def _report(clients: Clients, restart_at: float, restarted_at: float) -> None:
    by_client: dict[str, list[tuple[float, str]]] = {}
    for at, client, outcome in sorted(clients.results):
        by_client.setdefault(client, []).append((at, outcome))
    for client, answers in by_client.items():
        ok = {"health": "200", "intake search": "200", "gateway": "201"}[client]
        bad = [(at, outcome) for at, outcome in answers if outcome != ok]
        counts = Counter(outcome for _at, outcome in answers)
        line = f"{client}: {len(answers)} requests {dict(counts)}"
        if bad:
            recovered = next((at for at, outcome in answers if at > bad[-1][0] and outcome == ok), None)
            line += (
                f"; failures from t={bad[0][0]:.1f} s to t={bad[-1][0]:.1f} s; first success after them "
                f"t={recovered:.1f} s"
                if recovered
                else "; never recovered"
            )
        drill.say(line)
    for what, body in clients.errors_seen.items():
        drill.say(f"first answer '{what}': {' '.join(body.split())[:300]}")


def _check_writes(clients: Clients, env: dict[str, str], last_before: int) -> None:
    """Every message the gateway sent is stored once, with its request and its acknowledgement."""
    from django.db import connections
    from django.db.models import Count

    from requests_intake.models import AidRequest, Notification, RequestMessage

    connections.close_all()
    ids = [eid for eid in clients.gateway_ids]
    messages = RequestMessage.objects.filter(external_id__in=ids)
    stored = set(messages.values_list("external_id", flat=True))
    requests = AidRequest.objects.filter(messages__external_id__in=ids).distinct()
    new = AidRequest.objects.filter(pk__gt=last_before)
    without_message = new.annotate(n=Count("messages")).filter(n=0).count()
    without_ack = requests.exclude(notifications__event=Notification.Event.RECEIVED).count()
    drill.say(
        f"gateway ids sent {len(ids)}, stored {len(stored)}, missing {len(set(ids) - stored)}; requests "
        f"{requests.count()} (new in the drill {new.count()}); new requests without their message "
        f"{without_message}; requests without their 'received' message {without_ack}"
    )
    drill.expect(set(ids) == stored and without_message == 0 and without_ack == 0, "a write was lost or half-done")
    drill.stock_checked(env)
    log = (drill.LOG_DIR / "gunicorn.log").read_text().splitlines()
    errors = [line for line in log if '"level": "ERROR"' in line]
    drill.say(f"gunicorn log: {len(errors)} ERROR lines; first: {errors[0][:300] if errors else '-'}")


if __name__ == "__main__":
    sys.exit(main())
