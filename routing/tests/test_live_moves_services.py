"""Once the day is under way a planner still moves the stops not yet visited (routing.board.stop_move): within a round
wherever its van is, after its visited stops; between rounds only from a van still at the depot to another. A
household is told a new window only when the move shifts it beyond the tolerance."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import Round, Stop
from delivery.services import stop_mark_delivered
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from routing.board import stop_move
from routing.tests.live_day_world import live_day, on_the_day
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _stops(round_: Round) -> list[Stop]:
    return list(Stop.objects.filter(round=round_).order_by("sequence"))


def _snapshot():
    return sorted(Stop.objects.values_list("pk", "round_id", "sequence", "arrival_at"))


def _refused(role_users, stop, to_round, position, code):
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        stop_move(actor=role_users["logistics_planner"], stop=stop, to_round=to_round, position=position)
    assert refused.value.code == code
    assert _snapshot() == before


def _scheduled():
    return Notification.objects.filter(event=Notification.Event.SCHEDULED)


def test_a_stop_not_yet_visited_changes_place_on_its_van_under_way(role_users):
    day = live_day(role_users)
    first, second = _stops(day["first"])

    stop_move(actor=role_users["logistics_planner"], stop=second, to_round=day["first"], position=1)

    assert [stop.pk for stop in _stops(day["first"])] == [second.pk, first.pk]


def test_a_visited_stop_does_not_move(role_users):
    day = live_day(role_users)
    first, _second = _stops(day["first"])
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(9, 20))

    _refused(role_users, first, day["first"], 2, "stop_already_recorded")


def test_a_stop_does_not_go_before_the_stops_already_visited(role_users):
    day = live_day(role_users)
    first, second = _stops(day["first"])
    stop_mark_delivered(actor=role_users["driver"], stop=first, done_at=on_the_day(9, 20))

    _refused(role_users, second, day["first"], 1, "position_before_visited")


def test_a_stop_on_a_van_under_way_does_not_go_onto_another_van(role_users):
    day = live_day(role_users, out=("first",))
    _first, second = _stops(day["first"])

    _refused(role_users, second, day["second"], 1, "stop_van_left")


def test_nothing_goes_onto_a_van_under_way(role_users):
    day = live_day(role_users, out=("first",))
    (waiting,) = _stops(day["second"])

    _refused(role_users, waiting, day["first"], 1, "round_van_left")


def test_a_stop_moves_between_vans_still_at_the_depot_and_its_household_is_told(role_users, settings):
    settings.WINDOW_CHANGE_TOLERANCE_MIN = 15
    day = live_day(role_users, out=("first",))
    (moving,) = _stops(day["second"])
    van_c = VehicleFactory(depot=day["second"].depot, name="Furgoneta C")
    third = Round.objects.create(
        run=day["run"], date=day["run"].date, vehicle=van_c, depot=van_c.depot,
        start_at=on_the_day(11), end_at=on_the_day(11, 30), distance_m=3000,
    )  # fmt: skip
    late_one = approved_order(role_users)[0]
    Stop.objects.create(round=third, order=late_one, sequence=1, arrival_at=on_the_day(11, 10))
    # Van C's driver starts at 11:00: its first door, and so the moved household's, is much later than 9:20.
    DeliveryOrder.objects.filter(pk=late_one.pk).update(window_start=on_the_day(11).time())

    stop_move(actor=role_users["logistics_planner"], stop=moving, to_round=third, position=2)

    moving.refresh_from_db()
    assert (moving.round_id, moving.sequence) == (third.pk, 2)
    assert timezone.localtime(moving.arrival_at) > on_the_day(11)
    told = _scheduled().filter(request=moving.order.plan.request)
    assert told.count() == 1
    order = DeliveryOrder.objects.get(pk=moving.order_id)
    assert order.told_start > on_the_day(10, 30).time()


@pytest.mark.parametrize(("tolerance", "told"), [(60, 0), (15, 1), (0, 2)])
def test_a_shift_within_the_tolerance_is_not_told(role_users, settings, tolerance, told):
    settings.WINDOW_CHANGE_TOLERANCE_MIN = tolerance
    day = live_day(role_users)
    first, second = _stops(day["first"])

    # Re-timed with the homes swapped (the van has nothing to go on yet: the plan's times), the second home comes
    # 27 minutes earlier than it was told and the first 3 minutes earlier.
    stop_move(actor=role_users["logistics_planner"], stop=second, to_round=day["first"], position=1)

    assert _scheduled().count() == told
    if told == 1:
        assert _scheduled().get().request == second.order.plan.request


def test_a_published_plan_whose_vans_have_not_left_is_still_unpublished_first(role_users):
    day = live_day(role_users, out=())
    first, _second = _stops(day["first"])

    _refused(role_users, first, day["first"], 2, "plan_published")
