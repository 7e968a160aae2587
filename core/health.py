"""What a load balancer or an operator asks before sending work: can we reach the database and the broker?"""

from celery import current_app
from django.conf import settings
from django.db import connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is the answer, not an error of the check
        return False, type(exc).__name__
    return True, connection.vendor


def broker_ok() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "eager"  # tasks run in the web process: there is no broker to reach
    try:
        # The project's Celery app (config.celery) is the current one: core reaches it through celery, not config.
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return False, type(exc).__name__
    return True, "reachable"


def health() -> tuple[bool, dict]:
    checks = {"database": database_ok(), "broker": broker_ok()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    return all(ok for ok, _detail in checks.values()), body
