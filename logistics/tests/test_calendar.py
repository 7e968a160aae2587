"""The delivery calendar: public and local holidays, the zone's and depot's days, the household's days and
absences. No order is ever placed on a day the calendar refuses."""

import datetime as dt

import pytest

from core.tests.factories import tomorrow
from delivery.services import stop_mark_failed
from logistics.calendar import allowed_days, day_refusal, next_allowed_day, recurring_tolerance
from logistics.models import DeliveryDay, DeliveryOrder, LocalHoliday
from logistics.services import orders_create_recurring
from requests_intake.models import HouseholdAbsence
from requests_intake.tests.factories import ZoneFactory
from tests.scenarios import approved_order, approved_plan, planned_stop

pytestmark = pytest.mark.django_db

# A week of June 2026 in Murcia: Tuesday 9 June is the Day of the Region of Murcia (regional holiday).
MONDAY = dt.date(2026, 6, 8)


@pytest.fixture(autouse=True)
def _real_calendar(settings):
    settings.PUBLIC_HOLIDAYS = True
    settings.HOLIDAY_REGION = "MC"
    settings.DELIVERY_WEEKDAYS = [0, 1, 2, 3, 4]


@pytest.fixture
def order(role_users) -> DeliveryOrder:
    order, _item, _warehouse = approved_order(role_users)
    return order


def _week(start: dt.date = MONDAY, days: int = 7) -> tuple[dt.date, dt.date]:
    return start, start + dt.timedelta(days=days - 1)


def test_weekends_and_the_regions_holiday_are_not_delivery_days(order):
    assert allowed_days(order, *_week()) == [MONDAY, MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3),
                                             MONDAY + dt.timedelta(days=4)]  # fmt: skip
    assert day_refusal(order, MONDAY + dt.timedelta(days=1)).code == "holiday"
    assert day_refusal(order, MONDAY + dt.timedelta(days=5)).code == "not_a_delivery_day"


def test_another_regions_holidays_do_not_close_murcia(order, settings):
    settings.HOLIDAY_REGION = "CT"  # Catalonia: 24 June, Sant Joan; Murcia works on 9 June

    assert day_refusal(order, MONDAY + dt.timedelta(days=1)) is None
    assert day_refusal(order, dt.date(2026, 6, 24)).code == "holiday"


def test_a_local_holiday_entered_on_the_page_closes_its_day(order):
    LocalHoliday.objects.create(date=MONDAY, name="Fiestas de primavera")

    assert day_refusal(order, MONDAY).code == "holiday"
    assert MONDAY not in allowed_days(order, *_week())


def test_a_zone_is_served_only_on_its_own_days_over_its_depots(order):
    zone = ZoneFactory()
    order.household.zone = zone
    order.household.save(update_fields=["zone"])
    DeliveryDay.objects.create(warehouse=order.warehouse, weekday=0)
    DeliveryDay.objects.create(zone=zone, weekday=2)
    DeliveryDay.objects.create(zone=zone, weekday=4)

    assert allowed_days(order, *_week()) == [MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)]


def test_a_home_delivery_keeps_to_the_households_preferred_days_and_a_collection_does_not(order):
    order.household.preferred_days = [3]
    order.household.save(update_fields=["preferred_days"])

    assert allowed_days(order, *_week()) == [MONDAY + dt.timedelta(days=3)]
    assert day_refusal(order, MONDAY).code == "not_household_day"
    order.mode = DeliveryOrder.Mode.PICKUP
    assert MONDAY in allowed_days(order, *_week())


def test_no_day_is_allowed_while_the_household_is_away(order):
    HouseholdAbsence.objects.create(household=order.household, starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(3))

    assert allowed_days(order, *_week()) == [MONDAY + dt.timedelta(days=4)]
    assert day_refusal(order, MONDAY).code == "household_away"
    assert next_allowed_day(order, MONDAY - dt.timedelta(days=3)) == MONDAY + dt.timedelta(days=4)


def test_the_next_day_after_a_friday_is_the_monday_and_after_christmas_eve_the_28th(order):
    assert next_allowed_day(order, dt.date(2026, 6, 12)) == dt.date(2026, 6, 15)
    assert next_allowed_day(order, dt.date(2026, 12, 24)) == dt.date(2026, 12, 28)


def test_a_failed_delivery_comes_back_on_the_depots_next_delivery_day(role_users, settings):
    settings.PUBLIC_HOLIDAYS = False
    stop = planned_stop(role_users)
    comeback = tomorrow() + dt.timedelta(days=3)
    DeliveryDay.objects.create(warehouse=stop.order.warehouse, weekday=comeback.weekday())

    stop_mark_failed(actor=role_users["driver"], stop=stop, reason="not_home")

    stop.order.refresh_from_db()
    assert (stop.order.status, stop.order.due_date) == (DeliveryOrder.Status.RESCHEDULED, comeback)


def test_a_new_approval_moves_its_first_delivery_off_a_local_holiday(role_users, settings):
    settings.DELIVERY_WEEKDAYS = list(range(7))
    settings.PUBLIC_HOLIDAYS = False
    LocalHoliday.objects.create(date=tomorrow(), name="Fiesta")

    plan = approved_plan(role_users)

    assert plan.orders.get().due_date == tomorrow() + dt.timedelta(days=1)


def test_recurring_deliveries_skip_an_absence_and_resume_after_it_by_themselves(role_users, settings):
    settings.DELIVERY_WEEKDAYS = list(range(7))
    settings.PUBLIC_HOLIDAYS = False
    plan = approved_plan(role_users, repeat_every_days=7)
    household = plan.request.household
    HouseholdAbsence.objects.create(
        household=household, starts_on=tomorrow() + dt.timedelta(days=5), ends_on=tomorrow() + dt.timedelta(days=9)
    )

    orders_create_recurring(today=tomorrow() + dt.timedelta(days=5), days_ahead=2)
    assert list(plan.orders.values_list("due_date", flat=True)) == [tomorrow()]
    orders_create_recurring(today=tomorrow() + dt.timedelta(days=12), days_ahead=2)

    assert list(plan.orders.order_by("due_date").values_list("due_date", flat=True)) == [
        tomorrow(),
        tomorrow() + dt.timedelta(days=14),
    ]


def test_a_recurring_delivery_on_a_holiday_moves_to_the_nearest_open_day_and_is_made_once(role_users, settings):
    settings.DELIVERY_WEEKDAYS = list(range(7))
    settings.PUBLIC_HOLIDAYS = False
    plan = approved_plan(role_users, repeat_every_days=7)
    LocalHoliday.objects.create(date=tomorrow() + dt.timedelta(days=7), name="Fiesta")

    orders_create_recurring(today=tomorrow() + dt.timedelta(days=5), days_ahead=2)
    orders_create_recurring(today=tomorrow() + dt.timedelta(days=6), days_ahead=2)

    second = plan.orders.order_by("due_date").last()
    assert (second.due_date, second.flex_days) == (tomorrow() + dt.timedelta(days=6), 2)
    assert plan.orders.count() == 2


@pytest.mark.parametrize(("every", "tolerance"), [(None, 2), (1, 0), (3, 1), (7, 2), (14, 2)])
def test_plans_that_repeat_often_move_less(every, tolerance):
    assert recurring_tolerance(every) == tolerance
