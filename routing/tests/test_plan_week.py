"""`plan_week`: the week's flexible orders get a day they allow, each day is planned, the JSON has its shape."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder, LocalHoliday
from logistics.tests.factories import VehicleFactory
from requests_intake.models import HouseholdAbsence
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _week(*args) -> dict:
    out = io.StringIO()
    call_command("plan_week", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)  # each day's plan runs once its run is committed, as from the shell
def test_an_order_due_on_a_holiday_is_planned_on_the_next_day_it_allows(role_users):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    LocalHoliday.objects.create(date=tomorrow(), name="Fiesta")
    reference = f"{order.plan.request.reference}/{order.pk}"

    week = _week("--start", tomorrow().isoformat(), "--days", "3")

    assert [day["date"] for day in week["days"]] == [(tomorrow() + dt.timedelta(days=n)).isoformat() for n in range(3)]
    assert [day["orders"] for day in week["days"]] == [[], [], [reference]]
    assert [day["vans"] for day in week["days"]] == [0, 0, 1]
    assert week["days"][2]["km"] > 0
    assert week["left_out"] == []
    order.refresh_from_db()
    assert (order.due_date, order.status) == (tomorrow() + dt.timedelta(days=2), DeliveryOrder.Status.PLANNED)


def test_an_order_whose_household_is_away_all_its_days_is_left_out_with_a_reason(role_users):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    HouseholdAbsence.objects.create(
        household=order.household, starts_on=tomorrow(), ends_on=tomorrow() + dt.timedelta(days=10)
    )

    week = _week("--start", tomorrow().isoformat(), "--days", "2")

    assert [day["orders"] for day in week["days"]] == [[], []]
    assert week["left_out"] == [
        {
            "order": f"{order.plan.request.reference}/{order.pk}",
            "reason": "no day of the week is allowed (holiday, zone not served, household away)",
        }
    ]
    order.refresh_from_db()
    assert (order.due_date, order.status) == (tomorrow(), DeliveryOrder.Status.RESERVED)


@pytest.mark.parametrize("days", ["0", "15"])
def test_a_week_of_no_days_or_more_than_two_is_refused(role_users, days):
    with pytest.raises(CommandError, match="--days must be from 1 to 14"):
        call_command("plan_week", "--days", days)
