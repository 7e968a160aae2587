"""The driver who agrees to share the van's position is told so once on the page, before or after starting the
round; taking it back is still confirmed."""

import pytest
from django.urls import reverse

from delivery.services import round_start
from delivery.tests.driver_world import round_with_two_stops

pytestmark = pytest.mark.django_db

SHARED = "Your position is shared"


@pytest.fixture
def round_(role_users):
    first, _second = round_with_two_stops(role_users)
    return first.round


def test_sharing_after_starting_the_round_says_so_once(client, role_users, round_):
    client.force_login(role_users["driver"])
    round_start(actor=role_users["driver"], round_=round_)

    page = client.post(reverse("round_position_share", args=[round_.pk]), {"share": "1"}, follow=True)

    assert page.content.decode().count(SHARED) == 1
    assert "Stop sharing my position" in page.content.decode()


def test_sharing_before_starting_the_round_says_so_once(client, role_users, round_):
    client.force_login(role_users["driver"])

    page = client.post(reverse("round_position_share", args=[round_.pk]), {"share": "1"}, follow=True)

    assert page.content.decode().count(SHARED) == 1


def test_stopping_the_sharing_is_confirmed(client, role_users, round_):
    client.force_login(role_users["driver"])
    url = reverse("round_position_share", args=[round_.pk])
    client.post(url, {"share": "1"})

    page = client.post(url, {"share": "0"}, follow=True).content.decode()

    assert "Your position is no longer shared; what was sent has been deleted." in page
    assert SHARED not in page
    assert "Share my position during this round" in page


def test_a_toggle_that_is_not_yes_or_no_says_nothing_is_shared(client, role_users, round_):
    client.force_login(role_users["driver"])

    page = client.post(reverse("round_position_share", args=[round_.pk]), {"share": "yes"}, follow=True)

    assert SHARED not in page.content.decode()
    round_.refresh_from_db()
    assert round_.position_shared_at is None
