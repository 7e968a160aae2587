"""The board lets a planner drag a stop not yet visited by its row (board.js posts the stop's Move form); the rows
say which may be dragged, and the no-JavaScript buttons stay beside them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Stop
from routing.tests.board_world import two_van_draft
from routing.tests.live_day_world import live_day, on_the_day

pytestmark = pytest.mark.django_db


def _board(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()


def _draggable(html: str) -> list[str]:
    return re.findall(r'<tr[^>]* draggable="true" data-move-url="([^"]+)"', html)


def test_a_drafts_stops_not_yet_visited_may_be_dragged(client, role_users):
    draft = two_van_draft(role_users)
    stops = list(Stop.objects.filter(round__run=draft["run"]).order_by("round__vehicle__name", "sequence"))
    Stop.objects.filter(pk=stops[0].pk).update(outcome=Stop.Outcome.DELIVERED, recorded_at=timezone.now())

    html = _board(client, role_users["logistics_planner"])

    assert _draggable(html) == [reverse("stop_move", args=[stop.pk]) for stop in stops[1:]]
    assert f'data-drop-round="{draft["first"].pk}"' in html
    assert f'data-drop-round="{draft["second"].pk}"' in html
    assert f'id="round-{draft["first"].pk}-move"' in html  # the form the buttons use without JavaScript


def test_a_manager_reads_the_board_without_dragging(client, role_users):
    two_van_draft(role_users)

    html = _board(client, role_users["manager"])

    assert _draggable(html) == []
    assert "data-drop-round" not in html


def test_a_published_plan_whose_vans_have_not_left_is_unpublished_before_moving(client, role_users):
    two_van_draft(role_users, published_at=timezone.now(), published_by=role_users["logistics_planner"])

    assert _draggable(_board(client, role_users["logistics_planner"])) == []


def test_once_the_day_is_under_way_the_stops_not_yet_visited_may_be_dragged(client, role_users):
    day = live_day(role_users)
    visited = Stop.objects.filter(round=day["first"]).order_by("sequence").first()
    Stop.objects.filter(pk=visited.pk).update(outcome=Stop.Outcome.DELIVERED, recorded_at=timezone.now())

    html = _board(client, role_users["logistics_planner"])

    pending = Stop.objects.filter(round__run=day["run"], outcome=Stop.Outcome.PENDING).order_by(
        "round__vehicle__name", "sequence"
    )
    assert _draggable(html) == [reverse("stop_move", args=[stop.pk]) for stop in pending]


def test_a_stop_with_a_new_expected_time_shows_it_beside_the_plan(client, role_users):
    day = live_day(role_users)
    stop = Stop.objects.filter(round=day["first"]).order_by("sequence").last()
    Stop.objects.filter(pk=stop.pk).update(expected_at=on_the_day(10, 5))

    html = _board(client, role_users["logistics_planner"])

    assert "ETA 10:05 (planned 09:30)" in html


def test_a_visited_stop_dropped_elsewhere_is_refused_with_a_message(client, role_users):
    day = live_day(role_users)
    visited = Stop.objects.filter(round=day["first"]).order_by("sequence").first()
    Stop.objects.filter(pk=visited.pk).update(outcome=Stop.Outcome.DELIVERED, recorded_at=timezone.now())
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("stop_move", args=[visited.pk]), {"to_round": day["first"].pk, "position": 2}, follow=True
    )

    assert "This stop was already recorded as “Delivered”; it cannot be moved." in response.content.decode()
    visited.refresh_from_db()
    assert visited.sequence == 1


def test_a_stop_not_yet_visited_moves_on_the_day_under_way(client, role_users):
    day = live_day(role_users)
    first, second = Stop.objects.filter(round=day["first"]).order_by("sequence")
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[second.pk]), {"to_round": day["first"].pk, "position": 1})

    assert response.status_code == 302
    assert list(Stop.objects.filter(round=day["first"]).order_by("sequence").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
