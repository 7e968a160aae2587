"""The requester's status page, the services: every message links to it, a link is reused while unused, and a
day that cannot be found goes to the intake inbox."""

import datetime as dt

import pytest
from django.core.cache import cache

from delivery.status_page import status_ask_another_day, status_confirm
from requests_intake.models import Notification, RequestMessage, StatusLink
from requests_intake.status_links import STATUS_LINK_DAYS, status_link_for, status_link_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The hourly limit counts in the cache, which outlives a test.
    cache.clear()


def test_every_message_to_the_requester_ends_with_the_status_page_link(order):
    notifications = Notification.objects.filter(request=order.plan.request)
    link = StatusLink.objects.get(request=order.plan.request)

    assert notifications.count() >= 1
    line = f"\n\nYour request and next delivery: {status_link_url(link)}"
    assert [n.body.endswith(line) for n in notifications] == [True] * notifications.count()
    assert len(link.token) == 43
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=STATUS_LINK_DAYS), abs=dt.timedelta(seconds=5)
    )


def test_a_fresh_unused_link_is_reused_and_a_used_one_is_not(order, link):
    assert status_link_for(order.plan.request) == link

    status_confirm(link=link)

    assert status_link_for(order.plan.request) != link


def test_another_day_that_cannot_be_found_reaches_the_intake_inbox_and_leaves_the_order(monkeypatch, order, link):
    monkeypatch.setattr("delivery.status_page.next_allowed_day", lambda order, after: None)
    day = order.due_date

    assert status_ask_another_day(link=link) is None

    order.refresh_from_db()
    assert order.due_date == day
    [message] = RequestMessage.objects.all()
    assert (message.request, message.direction) == (order.plan.request, RequestMessage.Direction.INBOUND)
    assert message.body.startswith("Asked on the status page for another day")
