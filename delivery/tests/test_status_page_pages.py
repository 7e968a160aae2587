"""The requester's status page: it shows only what it promises, it expires, and the person confirms or asks for
another day once per link."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.status_page import status_ask_another_day, status_confirm
from logistics.calendar import next_allowed_day
from requests_intake.models import RequestMessage, StatusLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The hourly limit counts in the cache, which outlives a test.
    cache.clear()


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


def test_missed_tokens_count_against_the_hourly_limit(client, settings, link):
    settings.WEBFORM_RATE_PER_HOUR = 2
    for _attempt in range(2):
        assert client.get("/estado/" + "y" * 43 + "/").status_code == 404

    assert client.get(reverse("status_page", args=[link.token])).status_code == 429
