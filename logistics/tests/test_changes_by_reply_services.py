"""What a requester's reply (an SMS keyword, a message) calls: the change services with no person acting
(actor=None). Each works, tells the household, and leaves ledger and stops agreeing (check_stock clean)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.tests.factories import tomorrow
from delivery.models import Stop
from inventory.models import Reservation
from logistics.calendar import next_allowed_day
from logistics.changes import order_call_off, order_reschedule, order_switch_mode, plan_end
from logistics.models import DeliveryOrder, LocalHoliday
from requests_intake.models import Notification
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def test_a_reply_moves_a_planned_order_to_the_next_day_the_calendar_allows(role_users):
    stop = planned_stop(role_users)
    order = stop.order
    LocalHoliday.objects.create(date=tomorrow() + dt.timedelta(days=1), name="San Ginés")
    day = next_allowed_day(order, tomorrow())

    order = order_reschedule(actor=None, order=order, due_date=day, why="household replied")

    assert day == tomorrow() + dt.timedelta(days=2)  # the holiday skipped
    assert (order.status, order.due_date) == (S.RESERVED, day)
    assert not Stop.objects.filter(pk=stop.pk).exists()
    assert Notification.objects.filter(event=Notification.Event.RESCHEDULED).count() == 1
    assert order.history.first().history_change_reason == "household replied"
    call_command("check_stock")


def test_a_reply_cancels_an_order_because_the_household_is_away(role_users):
    stop = planned_stop(role_users)

    order = order_call_off(actor=None, order=stop.order, reason="household_away")

    assert (order.status, order.cancel_reason) == (S.CANCELLED, "household_away")
    assert not Reservation.objects.filter(order=order, status="active").exists()
    assert Notification.objects.filter(event=Notification.Event.CANCELLED).count() == 1
    call_command("check_stock")


def test_a_reply_asks_to_collect_instead_and_then_to_end_the_plan(role_users):
    stop = planned_stop(role_users)

    order = order_switch_mode(actor=None, order=stop.order, mode=DeliveryOrder.Mode.PICKUP)
    assert (order.mode, order.due_date) == (DeliveryOrder.Mode.PICKUP, tomorrow())

    cancelled = plan_end(actor=None, plan=order.plan)
    assert [o.pk for o in cancelled] == [order.pk]
    call_command("check_stock")


def test_a_reply_naming_a_holiday_is_refused_with_its_code_and_changes_nothing(role_users):
    stop = planned_stop(role_users)
    holiday = LocalHoliday.objects.create(date=tomorrow() + dt.timedelta(days=1), name="Fiestas")

    with pytest.raises(ValidationError) as excinfo:
        order_reschedule(actor=None, order=stop.order, due_date=holiday.date)

    assert excinfo.value.code == "holiday"
    assert Stop.objects.filter(pk=stop.pk).exists()
    stop.order.refresh_from_db()
    assert (stop.order.status, stop.order.due_date) == (S.PLANNED, tomorrow())
