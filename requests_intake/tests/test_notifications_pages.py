"""Telling the requester: texts per event, channel and language; the HTTP provider against a local fake server;
retries with backoff, FAILED after the last one or at once on a refusal, and resending failed messages.

Here through the HTTP client (pages, API, admin); the services are tested in test_notifications_services.py."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from requests_intake.models import Channel, Notification
from requests_intake.tests.helpers.notifications import _pending, _request


@pytest.mark.django_db
def test_the_admin_resend_action_queues_failed_messages_again(client, django_capture_on_commit_callbacks):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pass")
    notification = _pending(_request(channel=Channel.SMS, contact="+34600111222"))
    Notification.objects.filter(pk=notification.pk).update(status="failed", last_error="down")
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:requests_intake_notification_changelist"),
            {"action": "notifications_resend_action", "_selected_action": [notification.pk]},
            follow=True,
        )

    notification.refresh_from_db()
    assert "1 failed message queued again." in response.content.decode()
    assert notification.status == "sent"
