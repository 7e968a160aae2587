"""A household is told a new window while its round is under way only when the window moves by more than the
service's tolerance (WINDOW_CHANGE_TOLERANCE_MIN) from the one it was told, and never twice for the same change."""

import datetime as dt

import pytest

from delivery.models import Stop
from delivery.services import stop_mark_delivered
from logistics.models import DeliveryOrder
from requests_intake.models import Household, Notification
from routing.adapter import location
from routing.eta import round_eta_recompute
from routing.tests.live_day_world import fix, live_day, on_the_day
from routing.travel import travel_matrices

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(role_users, settings):
    settings.WINDOW_CHANGE_TOLERANCE_MIN = 15
    day = live_day(role_users)
    first, second = Stop.objects.filter(round=day["first"]).select_related("order__household").order_by("sequence")
    day["first_stop"], day["second_stop"] = first, second
    # The drive from the first home to the second: a visit recorded this long before 9:30 puts the second at 9:30.
    day["drive"] = dt.timedelta(
        seconds=travel_matrices([location(first.order.household), location(second.order.household)])[1][0][1]
    )
    return day


def _visit_first_so_second_is_due_at(role_users, day, hour: int, minute: int) -> None:
    done_at = on_the_day(hour, minute) - day["drive"]
    stop_mark_delivered(actor=role_users["driver"], stop=day["first_stop"], done_at=done_at)
    round_eta_recompute(round_id=day["first"].pk)


def _told(day) -> list[str]:
    order = day["second_stop"].order
    return list(
        Notification.objects.filter(request=order.plan.request, event=Notification.Event.SCHEDULED).values_list(
            "body", flat=True
        )
    )


def _told_window(day) -> tuple[dt.time, dt.time]:
    order = DeliveryOrder.objects.get(pk=day["second_stop"].order_id)
    return order.told_start, order.told_end


def test_a_window_moved_less_than_the_tolerance_is_not_told(role_users, day):
    # Planned at 9:30 and told 9:00–10:00; now due at 9:40, so 9:10–10:10: ten minutes off.
    _visit_first_so_second_is_due_at(role_users, day, 9, 40)

    assert _told(day) == []
    assert _told_window(day) == (dt.time(9, 0), dt.time(10, 0))


def test_a_window_moved_more_than_the_tolerance_is_told_once(role_users, day):
    _visit_first_so_second_is_due_at(role_users, day, 10, 15)

    told = _told(day)
    assert len(told) == 1
    assert "09:45" in told[0]
    assert "10:45" in told[0]
    assert _told_window(day) == (dt.time(9, 45), dt.time(10, 45))

    # Worked out again with nothing new (the same visit heard twice): nothing more is sent.
    round_eta_recompute(round_id=day["first"].pk)
    assert len(_told(day)) == 1


def test_the_next_change_is_measured_from_the_window_last_told(role_users, day):
    _visit_first_so_second_is_due_at(role_users, day, 10, 15)
    # The van's phone, later, still at the first home: the second is now due at 10:25, ten minutes after 10:15.
    first = day["first_stop"].order.household
    fix(
        day["first"],
        at=on_the_day(10, 25) - day["drive"],
        latitude=float(first.latitude),
        longitude=float(first.longitude),
    )
    round_eta_recompute(round_id=day["first"].pk)

    assert DeliveryOrder.objects.get(pk=day["second_stop"].order_id).stops.get().expected_at == on_the_day(10, 25)
    assert len(_told(day)) == 1  # 9:55–10:55 is within 15 minutes of the 9:45–10:45 told
    assert _told_window(day) == (dt.time(9, 45), dt.time(10, 45))


def test_the_tolerance_is_the_services_setting(role_users, day, settings):
    settings.WINDOW_CHANGE_TOLERANCE_MIN = 5

    _visit_first_so_second_is_due_at(role_users, day, 9, 40)

    assert len(_told(day)) == 1
    assert _told_window(day) == (dt.time(9, 10), dt.time(10, 10))


def test_a_household_whose_hours_hold_the_van_is_told_nothing_new(role_users, day):
    # The household gave its own hours: the one rule tells those whatever the van's time within them.
    household = day["second_stop"].order.household
    Household.objects.filter(pk=household.pk).update(preferred_from=dt.time(9, 0), preferred_until=dt.time(14, 0))
    DeliveryOrder.objects.filter(pk=day["second_stop"].order_id).update(
        window_start=dt.time(9, 0), window_end=dt.time(14, 0), told_start=dt.time(9, 0), told_end=dt.time(14, 0)
    )

    _visit_first_so_second_is_due_at(role_users, day, 11, 30)

    assert _told(day) == []


def test_an_early_van_is_told_too(role_users, day):
    # Due at 9:00 (the door opens then) instead of 9:30: the window 8:30–9:30 is thirty minutes earlier.
    _visit_first_so_second_is_due_at(role_users, day, 8, 50)

    assert _told_window(day) == (dt.time(8, 30), dt.time(9, 30))
    assert len(_told(day)) == 1
