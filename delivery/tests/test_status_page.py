"""The requester's status page: every message links to it, it shows only what it promises, it expires, and the
person confirms or asks for another day once per link."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.status_page import status_ask_another_day, status_confirm
from logistics.calendar import next_allowed_day
from requests_intake.models import DocumentType, Notification, RequestMessage, StatusLink
from requests_intake.status_links import STATUS_LINK_DAYS, status_link_for, status_link_url
from tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The hourly limit counts in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def order(role_users):
    household = HouseholdFactory(
        given_name="Lucía",
        language="en",
        family_name="Quintanilla Ortuño",
        address="Calle de la Sierpe 17, 3º B",
        phone="+34611222333",
        document_type=DocumentType.DNI,
        document_number="12345678Z",
    )
    order, _item, _warehouse = approved_order(role_users, household=household)
    return order


@pytest.fixture
def link(order):
    return status_link_for(order.plan.request)


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


def test_the_page_shows_the_first_name_status_and_next_delivery_and_no_other_personal_data(client, order, link):
    response = client.get(reverse("status_page", args=[link.token]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lucía" in page
    assert order.plan.request.reference in page
    view = response.context["view"]
    assert (view.first_name, view.next_delivery.day, view.next_delivery.order_id) == ("Lucía", order.due_date, order.pk)
    for private in ("Quintanilla", "Ortuño", "Sierpe", "611222333", "12345678Z", "30201", "Cartagena"):
        assert private not in page, private


def test_a_requester_writing_in_ukrainian_sees_the_page_in_the_sites_language(client, order, link, settings):
    settings.LANGUAGE_CODE = "es"
    request = order.plan.request
    request.language = "uk"
    request.save(update_fields=["language"])

    response = client.get(reverse("status_page", args=[link.token]))

    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()


@pytest.mark.parametrize("token", ["x" * 43, "", "x" * 200])
def test_an_unknown_token_is_not_found(client, link, token):
    assert client.get(f"/estado/{token}/").status_code == 404


def test_an_expired_link_is_not_found(client, link):
    StatusLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert client.get(reverse("status_page", args=[link.token])).status_code == 404


def test_confirming_works_once(client, order, link):
    url = reverse("status_page", args=[link.token])

    client.post(url, {"action": "confirm"})
    link.refresh_from_db()
    first = link.confirmed_at
    page = client.post(url, {"action": "confirm"}, follow=True).content.decode()

    assert (link.confirmed_for, first is not None) == (order.due_date, True)
    assert "You already confirmed this delivery." in page
    link.refresh_from_db()
    assert link.confirmed_at == first
    with pytest.raises(ValidationError) as refused:
        status_confirm(link=link)
    assert refused.value.code == "already_confirmed"


def test_asking_for_another_day_moves_the_order_to_the_next_allowed_day(client, order, link):
    expected = next_allowed_day(order, order.due_date)

    client.post(reverse("status_page", args=[link.token]), {"action": "another_day"})

    order.refresh_from_db()
    link.refresh_from_db()
    assert order.due_date == expected
    assert link.another_day_at is not None
    assert RequestMessage.objects.count() == 0
    with pytest.raises(ValidationError) as refused:
        status_ask_another_day(link=link)
    assert refused.value.code == "already_asked"


def test_another_day_that_cannot_be_found_reaches_the_intake_inbox_and_leaves_the_order(monkeypatch, order, link):
    monkeypatch.setattr("delivery.status_page.next_allowed_day", lambda order, after: None)
    day = order.due_date

    assert status_ask_another_day(link=link) is None

    order.refresh_from_db()
    assert order.due_date == day
    [message] = RequestMessage.objects.all()
    assert (message.request, message.direction) == (order.plan.request, RequestMessage.Direction.INBOUND)
    assert message.body.startswith("Asked on the status page for another day")


def test_missed_tokens_count_against_the_hourly_limit(client, settings, link):
    settings.WEBFORM_RATE_PER_HOUR = 2
    for _attempt in range(2):
        assert client.get("/estado/" + "y" * 43 + "/").status_code == 404

    assert client.get(reverse("status_page", args=[link.token])).status_code == 429
