"""A depot's break rule splits the shift: the pause comes neither after the rule's limit nor so early that the rest
of the shift runs past the rule again (a pause at the depot before the first stop rests nobody)."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery.models import Round
from routing.tests.town import town_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("after", "pause", "earliest", "latest"),
    [
        (150, 15, dt.time(11, 15), dt.time(11, 30)),  # 9–14: 2 h 30 of work, the pause, then at most 2 h 30 more
        (60, 20, dt.time(10, 0), dt.time(10, 0)),  # too long a shift for one pause to split: at the rule's limit
    ],
)
def test_the_break_splits_the_shift_into_lawful_halves(role_users, town, settings, after, pause, earliest, latest):
    settings.ROUTING_SERVICE_TIME_S = 90 * 60  # two long stops: the round runs past noon
    norte = town["depots"]["norte"][0]
    norte.break_after_minutes, norte.break_minutes = after, pause
    norte.save(update_fields=["break_after_minutes", "break_minutes"])

    north = Round.objects.get(run=town_plan(role_users), depot=norte)

    assert north.break_at is not None
    assert earliest <= timezone.localtime(north.break_at).time() <= latest
