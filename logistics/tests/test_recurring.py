"""Recurring aid: a weekly plan becomes one order a week, made a couple of days ahead, never twice."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from config.celery import app
from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder
from logistics.services import orders_create_recurring
from logistics.tasks import orders_create_recurring_task
from requests_intake.models import AidPlan
from requests_intake.recurrence import plan_occurrences
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db


def test_a_weekly_plan_gets_its_next_order_two_days_ahead_and_only_once(role_users):
    plan = approved_plan(role_users, repeat_every_days=7)
    first = tomorrow()

    assert orders_create_recurring(today=first + dt.timedelta(days=4)) == []  # next one is 7 days on: not yet
    [second] = orders_create_recurring(today=first + dt.timedelta(days=5))
    assert orders_create_recurring(today=first + dt.timedelta(days=5)) == []

    assert second.due_date == first + dt.timedelta(days=7)
    assert second.status == DeliveryOrder.Status.RESERVED
    assert [o.due_date for o in plan.orders.order_by("due_date")] == [first, first + dt.timedelta(days=7)]


def test_a_plan_stops_repeating_after_its_end_date(role_users):
    plan = approved_plan(role_users, repeat_every_days=7, repeat_until=tomorrow() + dt.timedelta(days=10))

    assert plan_occurrences(plan, after=tomorrow(), until=tomorrow() + dt.timedelta(days=60)) == [
        tomorrow() + dt.timedelta(days=7)
    ]


def test_a_one_off_plan_makes_no_more_orders(role_users):
    approved_plan(role_users)

    assert orders_create_recurring(today=tomorrow() + dt.timedelta(days=30)) == []
    assert DeliveryOrder.objects.count() == 1


def test_missed_days_are_not_backdated(role_users):
    """If the daily job did not run for weeks, it makes the coming order, not orders for dates already past."""
    plan = approved_plan(role_users, repeat_every_days=7)

    made = orders_create_recurring(today=tomorrow() + dt.timedelta(days=26))

    assert [o.due_date for o in made] == [plan.first_delivery_on + dt.timedelta(days=28)]


@pytest.mark.parametrize(
    ("repeat", "field"),
    [
        ({"repeat_every_days": 0}, "repeat_every_days"),
        ({"repeat_every_days": 400}, "repeat_every_days"),
        ({"repeat_until": tomorrow()}, "repeat_until"),
        ({"repeat_every_days": 7, "repeat_until": tomorrow() - dt.timedelta(days=1)}, "repeat_until"),
    ],
)
def test_a_bad_repetition_is_refused_and_nothing_is_approved(role_users, repeat, field):
    with pytest.raises(ValidationError) as refused:
        approved_plan(role_users, **repeat)

    assert field in refused.value.error_dict
    assert AidPlan.objects.count() == 0


def test_the_daily_job_is_scheduled_before_the_stock_alerts(role_users):
    approved_plan(role_users, repeat_every_days=1)
    entry = settings.CELERY_BEAT_SCHEDULE["logistics-orders-recurring"]

    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {5}
    # Daily aid: tomorrow has its order from the approval, so only the day after is made.
    assert orders_create_recurring_task.delay().get() == 1
