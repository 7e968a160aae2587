"""The health endpoint answers load balancers: 200 when the database and broker answer, 503 when one does not."""

import pytest
from kombu import Connection

from core import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_services_answer(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    # On the embedded defaults tasks run in-process; with CELERY_BROKER_URL set the broker was reached.
    assert body["broker"] == {"ok": True, "detail": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "reachable"}


def test_health_says_503_and_which_service_when_the_broker_is_unreachable(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Nothing listens on port 1.
    monkeypatch.setattr(health.current_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_health_reports_a_database_that_does_not_answer(monkeypatch):
    def broken_cursor():
        raise OSError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    ok, body = health.health()
    assert ok is False
    assert body["database"] == {"ok": False, "detail": "OSError"}
