"""A long round on the phone: the next stop first, how many are done, done stops folded (issue 22, item 9)."""

import datetime as dt

import pytest
from django.urls import reverse

from delivery.models import Stop
from delivery.services import stop_mark_delivered
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_stops(role_users):
    first = planned_stop(role_users)
    others = [
        Stop.objects.create(
            round=first.round,
            order=approved_order(role_users)[0],
            sequence=sequence,
            arrival_at=first.arrival_at + dt.timedelta(minutes=15 * sequence),
        )
        for sequence in (2, 3)
    ]
    return [first, *others]


def test_done_stops_are_folded_after_the_ones_to_do_and_the_next_comes_first(client, role_users, three_stops):
    first, second, third = three_stops
    stop_mark_delivered(actor=role_users["driver"], stop=first, received_by="Carmen")
    client.force_login(role_users["driver"])

    response = client.get(reverse("driver_round"))

    assert [card["stop"].pk for card in response.context["cards"]] == [second.pk, third.pk]
    assert [card["stop"].pk for card in response.context["done_cards"]] == [first.pk]
    page = response.content.decode()
    assert "1 of 3 done" in page
    assert f'href="#stop-{second.pk}">Next: stop 2 at ' in page
    folded = page.split('<details class="done-stops">', 1)[1]
    assert f'id="stop-{first.pk}"' in folded
    assert f'id="stop-{second.pk}"' not in folded


def test_a_round_with_nothing_done_starts_at_its_first_stop(client, role_users, three_stops):
    client.force_login(role_users["driver"])

    response = client.get(reverse("driver_round"))

    assert response.context["next_card"]["stop"] == three_stops[0]
    assert "0 of 3 done" in response.content.decode()
    assert 'class="done-stops"' not in response.content.decode()
