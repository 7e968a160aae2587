"""The planner's calendar edits, called directly: local holidays entered and removed, a zone's or a depot's
delivery days opened and closed; each says how many open orders fall on a day it closes, and refuses nonsense
with a code, changing nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import tomorrow
from inventory.tests.factories import WarehouseFactory
from logistics.calendar import day_refusal, delivery_weekdays, holidays_between
from logistics.calendar_edit import delivery_days_set, local_holiday_add, local_holiday_remove
from logistics.models import DeliveryDay, LocalHoliday
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db
EVERY_DAY = list(range(7))


def _code(excinfo, field: str | None = None) -> str:
    error = excinfo.value
    if field is not None:
        return error.error_dict[field][0].code
    return error.code


def test_a_local_holiday_closes_its_day_and_says_how_many_orders_fall_on_it(role_users):
    order, _item, _warehouse = approved_order(role_users)
    planner = role_users["logistics_planner"]

    holiday, due = local_holiday_add(actor=planner, date=tomorrow(), name="  San Ginés ")

    assert (holiday.date, holiday.name, due) == (tomorrow(), "San Ginés", 1)
    assert tomorrow() in holidays_between(tomorrow(), tomorrow())
    assert day_refusal(order, tomorrow()).code == "holiday"

    local_holiday_remove(actor=planner, holiday=holiday)

    assert not LocalHoliday.objects.exists()
    assert day_refusal(order, tomorrow()) is None


def test_a_holiday_with_no_orders_that_day_has_none_to_move(role_users):
    _holiday, due = local_holiday_add(
        actor=role_users["logistics_planner"], date=tomorrow() + dt.timedelta(days=30), name="Fiestas"
    )

    assert due == 0


@pytest.mark.parametrize(
    ("after_tomorrow", "name", "field", "code"),
    [
        (2, "   ", "name", "name_required"),
        (-2, "Ayer", "date", "date_passed"),
        (0, "Otra vez", "date", "holiday_exists"),
    ],
)
def test_a_local_holiday_refused_says_why_and_adds_nothing(role_users, after_tomorrow, name, field, code):
    planner = role_users["logistics_planner"]
    local_holiday_add(actor=planner, date=tomorrow(), name="San Ginés")

    with pytest.raises(ValidationError) as excinfo:
        local_holiday_add(actor=planner, date=tomorrow() + dt.timedelta(days=after_tomorrow), name=name)

    assert _code(excinfo, field) == code
    assert list(LocalHoliday.objects.values_list("name", flat=True)) == ["San Ginés"]


def test_closing_a_zones_weekday_counts_its_orders_on_that_weekday(role_users):
    zone = ZoneFactory()
    order, _item, warehouse = approved_order(role_users, household=HouseholdFactory(zone=zone))
    planner = role_users["logistics_planner"]

    closed, due = delivery_days_set(actor=planner, zone=zone, weekdays=EVERY_DAY)
    assert (closed, due) == (set(), 0)
    assert delivery_weekdays(zone.pk, warehouse.pk) == frozenset(EVERY_DAY)

    rest = [day for day in EVERY_DAY if day != tomorrow().weekday()]
    closed, due = delivery_days_set(actor=planner, zone=zone, weekdays=rest)

    assert (closed, due) == ({tomorrow().weekday()}, 1)
    assert set(DeliveryDay.objects.filter(zone=zone).values_list("weekday", flat=True)) == set(rest)
    assert day_refusal(order, tomorrow()).code == "not_a_delivery_day"


def test_a_zone_with_no_day_ticked_follows_its_depot_again(role_users):
    depot = WarehouseFactory()
    zone = ZoneFactory(depot=depot)
    planner = role_users["logistics_planner"]
    delivery_days_set(actor=planner, warehouse=depot, weekdays=[1, 4])
    delivery_days_set(actor=planner, zone=zone, weekdays=[0])

    closed, _due = delivery_days_set(actor=planner, zone=zone, weekdays=[])

    assert closed == {0}
    assert not DeliveryDay.objects.filter(zone=zone).exists()
    assert delivery_weekdays(zone.pk, depot.pk) == frozenset({1, 4})


def test_a_depots_days_leave_out_the_orders_of_zones_with_days_of_their_own(role_users):
    own_days = ZoneFactory()
    order, _item, warehouse = approved_order(role_users, household=HouseholdFactory(zone=None))
    other, _item2, _warehouse2 = approved_order(role_users, household=HouseholdFactory(zone=own_days))
    other.warehouse = warehouse
    other.save(update_fields=["warehouse"])
    planner = role_users["logistics_planner"]
    delivery_days_set(actor=planner, zone=own_days, weekdays=EVERY_DAY)

    # Before: no rows, so the depot delivers every day (the tests' DELIVERY_WEEKDAYS); after: every day but one.
    closed, due = delivery_days_set(
        actor=planner, warehouse=warehouse, weekdays=[d for d in EVERY_DAY if d != tomorrow().weekday()]
    )

    assert (closed, due) == ({tomorrow().weekday()}, 1)
    assert day_refusal(order, tomorrow()).code == "not_a_delivery_day"
    assert day_refusal(other, tomorrow()) is None


@pytest.mark.parametrize("weekdays", [[7], [-1], [True], ["1"], [1.0]])
def test_a_weekday_that_is_not_one_is_refused(role_users, weekdays):
    zone = ZoneFactory()
    delivery_days_set(actor=role_users["logistics_planner"], zone=zone, weekdays=[2])

    with pytest.raises(ValidationError) as excinfo:
        delivery_days_set(actor=role_users["logistics_planner"], zone=zone, weekdays=weekdays)

    assert _code(excinfo, "weekdays") == "invalid_weekday"
    assert list(DeliveryDay.objects.values_list("weekday", flat=True)) == [2]


@pytest.mark.parametrize("both", [True, False])
def test_the_days_belong_to_a_zone_or_a_depot_not_both_nor_neither(role_users, both):
    owners = {"zone": ZoneFactory(), "warehouse": WarehouseFactory()} if both else {}

    with pytest.raises(ValidationError) as excinfo:
        delivery_days_set(actor=role_users["logistics_planner"], weekdays=[1], **owners)

    assert _code(excinfo) == "zone_or_depot"
    assert not DeliveryDay.objects.exists()
