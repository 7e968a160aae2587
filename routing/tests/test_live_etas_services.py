"""While a round is under way its stops still to visit are timed again from where the van last was (the last visit
recorded, or the latest position shared), on planning's own travel and service times; the plan stays as it was."""

import datetime as dt

import pytest
from django.conf import settings

from delivery.models import Stop
from delivery.services import stop_mark_delivered, stop_mark_failed
from routing.adapter import location
from routing.eta import round_eta_recompute
from routing.tests.live_day_world import fix, live_day, on_the_day
from routing.travel import travel_matrices

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(role_users):
    day = live_day(role_users)
    day["stops"] = list(Stop.objects.filter(round=day["first"]).select_related("order__household").order_by("sequence"))
    return day


def _drive_s(here, there) -> int:
    """Seconds from one point to another on the travel times planning uses."""
    return travel_matrices([here, there])[1][0][1]


def _expected(stop: Stop) -> dt.datetime | None:
    stop.refresh_from_db()
    return stop.expected_at


def test_a_late_visit_pushes_the_next_stop_back_by_the_drive_from_it(role_users, day):
    first, second = day["stops"]
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(10, 30))

    round_eta_recompute(round_id=day["first"].pk)

    drive = _drive_s(location(first.order.household), location(second.order.household))
    assert drive > 0
    assert _expected(second) == on_the_day(10, 30) + dt.timedelta(seconds=drive)
    assert second.arrival_at == on_the_day(9, 30)  # the plan is kept for comparison


def test_an_early_visit_brings_the_next_stop_forward_but_not_before_its_window(role_users, day):
    first, second = day["stops"]
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(8, 40))

    round_eta_recompute(round_id=day["first"].pk)

    # The door opens at 9:00 (the order's window): the van waits there, as planning has it wait.
    drive = _drive_s(location(first.order.household), location(second.order.household))
    assert on_the_day(8, 40) + dt.timedelta(seconds=drive) < on_the_day(9, 0)
    assert _expected(second) == on_the_day(9, 0)


def test_a_failed_visit_counts_as_where_the_van_was(role_users, day):
    first, second = day["stops"]
    stop_mark_failed(actor=role_users["driver"], stop=first, reason="not_home", done_at=on_the_day(11, 0))

    round_eta_recompute(round_id=day["first"].pk)

    drive = _drive_s(location(first.order.household), location(second.order.household))
    assert _expected(second) == on_the_day(11, 0) + dt.timedelta(seconds=drive)


def test_every_stop_still_to_visit_follows_on_with_the_service_time(role_users, day):
    first, second = day["stops"]
    position = fix(day["first"], at=on_the_day(10, 0), latitude=37.59, longitude=-0.99)

    round_eta_recompute(round_id=day["first"].pk)

    points = [location(position), location(first.order.household), location(second.order.household)]
    _metres, seconds = travel_matrices(points)
    first_at = on_the_day(10, 0) + dt.timedelta(seconds=seconds[0][1])
    assert _expected(first) == first_at
    service = dt.timedelta(seconds=settings.ROUTING_SERVICE_TIME_S)
    assert _expected(second) == first_at + service + dt.timedelta(seconds=seconds[1][2])


def test_a_position_newer_than_the_last_visit_is_where_the_van_is(role_users, day):
    first, second = day["stops"]
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(9, 20))
    position = fix(day["first"], at=on_the_day(10, 5), latitude=37.62, longitude=-0.97)

    round_eta_recompute(round_id=day["first"].pk)

    drive = _drive_s(location(position), location(second.order.household))
    assert _expected(second) == on_the_day(10, 5) + dt.timedelta(seconds=drive)


def test_a_position_older_than_the_last_visit_is_not_used(role_users, day):
    first, second = day["stops"]
    fix(day["first"], at=on_the_day(9, 0), latitude=37.62, longitude=-0.97)
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(10, 0))

    round_eta_recompute(round_id=day["first"].pk)

    drive = _drive_s(location(first.order.household), location(second.order.household))
    assert _expected(second) == on_the_day(10, 0) + dt.timedelta(seconds=drive)


def test_a_round_with_no_visit_and_no_position_keeps_its_plan_alone(role_users, day):
    assert round_eta_recompute(round_id=day["first"].pk) == []

    assert [_expected(stop) for stop in day["stops"]] == [None, None]


def test_recording_a_visit_times_the_rest_of_the_round_once_it_commits(
    role_users, day, django_capture_on_commit_callbacks
):
    first, second = day["stops"]

    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(10, 30))

    drive = _drive_s(location(first.order.household), location(second.order.household))
    assert _expected(second) == on_the_day(10, 30) + dt.timedelta(seconds=drive)
    assert _expected(first) is None  # a visited stop is not expected any more


def test_a_round_not_under_way_is_not_timed_again_by_the_events(role_users, django_capture_on_commit_callbacks):
    day = live_day(role_users, out=("second",))
    stop = Stop.objects.filter(round=day["second"]).get()
    fix(day["first"], at=on_the_day(10, 0))

    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_delivered(actor=role_users["driver"], stop=stop, done_at=on_the_day(10, 30))

    assert list(Stop.objects.filter(expected_at__isnull=False)) == []
