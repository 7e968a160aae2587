"""The window a new order takes from the household's preferred hours, and its mode from the plan."""

import datetime as dt

import pytest

from logistics.models import DeliveryOrder
from logistics.orders import order_mode
from logistics.windows import order_window
from requests_intake.models import AidPlan, Household
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_plan

T = dt.time
USUAL = (T(9, 0), T(14, 0))


def _household(start, end) -> Household:
    return Household(given_name="Rosa", family_name="Martínez", preferred_from=start, preferred_until=end)


@pytest.mark.parametrize(
    ("start", "end", "window"),
    [
        (None, None, USUAL),
        (T(16, 0), T(19, 0), (T(16, 0), T(19, 0))),
        (T(10, 30), T(11, 30), (T(10, 30), T(11, 30))),  # exactly an hour is enough
        (T(6, 0), T(10, 0), (T(8, 0), T(10, 0))),  # cut to the first van out
        (T(18, 0), T(23, 0), (T(18, 0), T(20, 0))),  # cut to the last van back
        (T(6, 0), T(23, 0), (T(8, 0), T(20, 0))),
        (T(17, 0), None, (T(17, 0), T(20, 0))),  # only "after five"
        (None, T(12, 0), (T(8, 0), T(12, 0))),  # only "before noon"
    ],
)
def test_the_window_follows_the_households_preferred_hours_within_the_working_day(start, end, window):
    assert order_window(_household(start, end)) == window


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (T(10, 0), T(10, 45)),  # narrower than an hour
        (T(12, 0), T(11, 0)),  # the wrong way round
        (T(12, 0), T(12, 0)),  # empty
        (T(5, 0), T(8, 30)),  # half an hour once cut to the working day
        (T(19, 30), None),  # half an hour before the last van is back
        (T(21, 0), T(23, 0)),  # entirely after the working day
    ],
)
def test_preferences_that_leave_less_than_an_hour_give_the_usual_window(start, end):
    assert order_window(_household(start, end)) == USUAL


def test_the_usual_window_is_the_models_default():
    order = DeliveryOrder()

    assert (order.window_start, order.window_end) == USUAL


@pytest.mark.parametrize(("pickup", "mode"), [(True, "pickup"), (False, "home")])
def test_the_mode_is_pickup_exactly_when_the_plan_says_the_household_collects(pickup, mode):
    assert order_mode(AidPlan(pickup=pickup)) == mode


@pytest.mark.django_db
def test_an_approved_plan_makes_its_order_in_the_households_hours(role_users):
    household = HouseholdFactory(preferred_from=T(16, 0), preferred_until=T(19, 0))

    plan = approved_plan(role_users, household=household)

    order = plan.orders.get()
    assert (order.window_start, order.window_end) == (T(16, 0), T(19, 0))
