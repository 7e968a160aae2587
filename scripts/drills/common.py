"""What the fault drills share: a database of their own, a Redis of their own, Celery processes, a clock.

The drills stop and start services. They never touch the machine's shared ones: each drill starts its own Redis on
DRILL_REDIS_PORT (6391) and, for the database restart, its own PostgreSQL cluster, so other work on the machine
goes on. Every drill prints what it saw, with the seconds since it began, for docs/operations.md."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_SERVER = os.environ.get("DRILL_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_PORT = int(os.environ.get("DRILL_REDIS_PORT", "6391"))
LOG_DIR = ROOT / "var" / "drills"
STARTED = time.monotonic()


def say(message: str) -> None:
    sys.stdout.write(f"[t+{time.monotonic() - STARTED:6.1f} s] {message}\n")
    sys.stdout.flush()


def expect(condition: object, failure: str) -> None:
    """Stop the drill, saying what went wrong, when what it checks is not so."""
    if not condition:
        raise SystemExit(f"drill failed: {failure}")


def wait_for(check: Callable[[], object], *, timeout: float, every: float = 0.2, what: str = "it"):
    """Ask `check` until it answers something truthy; fail the drill after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(every)
    raise SystemExit(f"drill failed: {what} did not happen within {timeout:.0f} s")


def database_url(name: str, server: str = PG_SERVER) -> str:
    return f"{server}/{name}"


def database_create(name: str, *, server: str = PG_SERVER, template: str | None = None) -> str:
    """A new, empty (or copied) database for the drill; an old one of the same name is dropped first."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return database_url(name, server)


def database_drop(name: str, *, server: str = PG_SERVER) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(database: str, broker: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of every process of the drill: its database, its broker, a manifest folder of its own."""
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    env["REPARTO_MANIFEST_DIR"] = str(LOG_DIR / "manifests")
    if broker:
        env["CELERY_BROKER_URL"] = broker
    else:
        env.pop("CELERY_BROKER_URL", None)
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check)


def stock_checked(env: dict[str, str], *, label: str = "check_stock") -> int:
    """Run check_stock on the drill's database and say what it found; returns its exit status."""
    check = manage("check_stock", env=env, check=False)
    say(f"{label}: exit {check.returncode}: {check.stdout.strip().splitlines()[-1]}")
    return check.returncode


def _log(name: str):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    return open(LOG_DIR / f"{name}.log", "w")  # noqa: SIM115 - the child process keeps it open


def redis_start(port: int = REDIS_PORT) -> subprocess.Popen:
    """A Redis of the drill's own, keeping nothing on disk, like the machine's."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=_log(f"redis-{port}"),
        stderr=subprocess.STDOUT,
    )
    wait_for(lambda: _redis_answers(port), timeout=10, what=f"Redis on port {port} starting")
    return process


def _redis_answers(port: int) -> bool:
    result = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False)
    return result.stdout.strip() == "PONG"


def stop(process: subprocess.Popen | None, *, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def celery(*args: str, env: dict[str, str], log: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "config", *args], cwd=ROOT, env=env, stdout=_log(log), stderr=subprocess.STDOUT
    )


def worker_start(env: dict[str, str], *, log: str = "worker", pool: str = "prefork") -> subprocess.Popen:
    """A worker like production's (prefork), one child, so the child that plans is the one to kill."""
    return celery(
        "worker",
        f"--pool={pool}",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        env=env,
        log=log,
    )


def worker_ready(log: str = "worker") -> bool:
    return "ready." in (LOG_DIR / f"{log}.log").read_text()


def pool_children(worker: subprocess.Popen) -> list[int]:
    result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)], capture_output=True, text=True)
    return [int(pid) for pid in result.stdout.split()]


def log_lines(log: str, *needles: str) -> list[str]:
    lines = (LOG_DIR / f"{log}.log").read_text().splitlines()
    return [line.rstrip() for line in lines if any(needle in line for needle in needles)]


def setup_django(env: dict[str, str]) -> None:
    """Run Django in this process against the drill's database and broker."""
    os.environ.clear()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def clean_logs() -> None:
    shutil.rmtree(LOG_DIR, ignore_errors=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
