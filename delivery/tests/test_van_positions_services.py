"""A van's position is kept only from its own driver, after the driver agreed, while the round is under way; a short
trail per round, and nothing after the round's day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import Round, VanPosition
from delivery.positions import (
    POSITION_TRAIL,
    latest_positions,
    round_position_share,
    van_position_record,
    van_positions_prune,
)
from delivery.services import round_start, stop_mark_delivered
from delivery.tests.driver_world import another_driver, round_with_two_stops

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_way(role_users) -> Round:
    """The role driver's round with two stops, left the depot, position shared."""
    first, _second = round_with_two_stops(role_users)
    round_ = first.round
    round_start(actor=role_users["driver"], round_=round_)
    return round_position_share(actor=role_users["driver"], round_=round_, share=True)


def _record(role_users, round_, *, seconds_ago: int = 0, **values):
    fix = {"latitude": 37.6051, "longitude": -0.9861, "accuracy": 12.4}
    fix.update(values)
    fix.setdefault("recorded_at", (timezone.now() - dt.timedelta(seconds=seconds_ago)).isoformat())
    return van_position_record(actor=role_users["driver"], round_=round_, **fix)


def _refused(code, call):
    before = list(VanPosition.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.code == code
    assert list(VanPosition.objects.values_list("pk", flat=True)) == before


def test_a_fix_from_the_driver_of_a_round_under_way_is_kept(role_users, under_way):
    position = _record(role_users, under_way)

    stored = VanPosition.objects.get()
    assert stored.pk == position.pk
    assert (str(stored.latitude), str(stored.longitude), stored.accuracy_m) == ("37.605100", "-0.986100", 12)
    assert latest_positions([under_way.pk]) == {under_way.pk: stored}


def test_consent_is_off_until_the_driver_gives_it_and_remembered_on_the_round(role_users):
    first, _second = round_with_two_stops(role_users)
    assert first.round.position_shared_at is None

    round_ = round_position_share(actor=role_users["driver"], round_=first.round, share=True)

    round_.refresh_from_db()
    assert round_.position_shared_at is not None


def test_a_fix_without_the_drivers_consent_is_refused(role_users):
    first, _second = round_with_two_stops(role_users)
    round_start(actor=role_users["driver"], round_=first.round)

    _refused("position_not_shared", lambda: _record(role_users, first.round))


def test_a_fix_before_the_round_leaves_the_depot_is_refused(role_users):
    first, _second = round_with_two_stops(role_users)
    round_position_share(actor=role_users["driver"], round_=first.round, share=True)

    _refused("round_not_under_way", lambda: _record(role_users, first.round))


def test_a_fix_once_every_stop_is_done_is_refused(role_users, under_way):
    for stop in under_way.stops.all():
        stop_mark_delivered(actor=role_users["driver"], stop=stop)

    _refused("round_not_under_way", lambda: _record(role_users, under_way))


def test_another_driver_cannot_send_or_consent_for_the_round(role_users, under_way):
    other = another_driver(role_users)

    _refused(
        "not_the_driver",
        lambda: van_position_record(actor=other, round_=under_way, latitude=37.6, longitude=-0.98),
    )
    with pytest.raises(ValidationError) as refused:
        round_position_share(actor=other, round_=under_way, share=False)
    assert refused.value.code == "not_the_driver"
    under_way.refresh_from_db()
    assert under_way.position_shared_at is not None


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"latitude": 91}, "latitude_invalid"),
        ({"latitude": "37.6"}, "latitude_invalid"),
        ({"latitude": None}, "latitude_invalid"),
        ({"latitude": True}, "latitude_invalid"),
        ({"latitude": float("nan")}, "latitude_invalid"),
        ({"longitude": -180.5}, "longitude_invalid"),
        ({"longitude": float("inf")}, "longitude_invalid"),
        ({"accuracy": -1}, "accuracy_invalid"),
        ({"accuracy": "10"}, "accuracy_invalid"),
        ({"accuracy": 50_000}, "accuracy_too_poor"),
        ({"recorded_at": "yesterday"}, "recorded_at_invalid"),
        ({"recorded_at": "2026-05-04T10:00:00"}, "recorded_at_invalid"),  # no offset: which 10:00?
        ({"recorded_at": (timezone.now() + dt.timedelta(minutes=30)).isoformat()}, "recorded_at_invalid"),
        ({"recorded_at": (timezone.now() - dt.timedelta(hours=3)).isoformat()}, "recorded_at_invalid"),
    ],
)
def test_a_bad_fix_is_refused_with_the_wrong_value_named(role_users, under_way, values, code):
    _refused(code, lambda: _record(role_users, under_way, **values))


def test_a_fix_too_soon_after_the_last_is_refused(role_users, under_way):
    _record(role_users, under_way, seconds_ago=5)

    _refused("position_too_soon", lambda: _record(role_users, under_way))


def test_only_a_short_trail_is_kept(role_users, under_way):
    for n in range(POSITION_TRAIL + 3):
        _record(role_users, under_way, seconds_ago=(POSITION_TRAIL + 3 - n) * 60)

    kept = list(VanPosition.objects.filter(round=under_way).order_by("recorded_at"))
    assert len(kept) == POSITION_TRAIL
    assert latest_positions([under_way.pk])[under_way.pk] == kept[-1]


def test_withdrawing_consent_deletes_what_was_sent(role_users, under_way):
    _record(role_users, under_way)

    round_position_share(actor=role_users["driver"], round_=under_way, share=False)

    under_way.refresh_from_db()
    assert under_way.position_shared_at is None
    assert not VanPosition.objects.exists()
    _refused("position_not_shared", lambda: _record(role_users, under_way))


def test_positions_are_deleted_after_their_rounds_day(role_users, under_way, settings):
    settings.VAN_POSITIONS_KEEP_DAYS = 0
    _record(role_users, under_way)

    assert van_positions_prune(today=under_way.date) == 0
    assert van_positions_prune(today=under_way.date + dt.timedelta(days=1)) == 1
    assert not VanPosition.objects.exists()


def test_positions_are_kept_the_days_the_setting_says(role_users, under_way, settings):
    settings.VAN_POSITIONS_KEEP_DAYS = 2
    _record(role_users, under_way)

    assert van_positions_prune(today=under_way.date + dt.timedelta(days=2)) == 0
    assert van_positions_prune(today=under_way.date + dt.timedelta(days=3)) == 1
