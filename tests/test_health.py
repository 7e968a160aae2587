"""The health endpoint answers load balancers: 200 when the database and broker answer, 503 when one does not."""

import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_on_the_embedded_defaults(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "detail": "eager"}


def test_health_says_503_and_which_service_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    health.app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/health/")
    finally:
        health.app.conf.broker_url = settings.CELERY_BROKER_URL
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
