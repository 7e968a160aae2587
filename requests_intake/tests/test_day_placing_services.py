"""An address whose street nobody knows: the operator is offered known streets with a similar name, and a person
places the pin by hand; the household then plans like any other."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from requests_intake.placing import household_place, point_parse
from requests_intake.tests.factories import HouseholdFactory
from routing.geocoding import streets_like
from routing.models import PlanningRun, UnplacedOrder
from routing.reasons import NO_LOCATION
from routing.services import planning_run_execute
from tests.scenarios import approved_order

D = Decimal


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("37.6050, -0.9850", (D("37.605000"), D("-0.985000"))),
        ("37.605 -0.985", (D("37.605000"), D("-0.985000"))),
        ("37,6050; -0,9850", (D("37.605000"), D("-0.985000"))),
        ("  37.6050123,-0.9850123 ", (D("37.605012"), D("-0.985012"))),
    ],
)
def test_a_point_is_read_as_a_map_app_writes_it(text, point):
    assert point_parse(text) == point


@pytest.mark.parametrize(("text", "code"), [("", "point_unreadable"), ("the church", "point_unreadable"),
                                            ("37.6", "point_unreadable"), ("95, -0.98", "point_off_earth"),
                                            ("37.6, 181", "point_off_earth")])  # fmt: skip
def test_what_is_not_a_point_is_refused_with_its_reason(text, code):
    with pytest.raises(ValidationError) as refused:
        point_parse(text)
    assert refused.value.code == code


def test_a_misspelt_street_suggests_the_known_one():
    assert streets_like(address="C/ del Almendrp 3, 2º", municipality="Cartagena")[0] == "Calle del Almendro"


def test_no_suggestion_for_another_town_or_an_empty_address():
    assert streets_like(address="Calle del Almendro 3", municipality="Lorca") == []
    assert streets_like(address="", municipality="Cartagena") == []


@pytest.mark.django_db
def test_a_household_placed_by_hand_is_planned_like_any_other(role_users):
    household = HouseholdFactory(address="Calle Inventada 1", latitude=None, longitude=None)
    order, _item, warehouse = approved_order(role_users, household=household)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    assert UnplacedOrder.objects.get(run=run, order=order).reason == NO_LOCATION

    household_place(
        actor=role_users["intake_operator"], household=household, latitude=D("37.605"), longitude=D("-0.985")
    )
    again = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=again.pk)

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (D("37.605000"), D("-0.985000"))
    assert Stop.objects.filter(order=order, round__run=again).exists()
    assert not UnplacedOrder.objects.filter(run=again, order=order).exists()


@pytest.mark.django_db
def test_a_point_far_from_every_depot_is_refused_and_nothing_is_saved(role_users):
    approved_order(role_users)  # a depot in Cartagena
    household = HouseholdFactory(latitude=None, longitude=None)

    with pytest.raises(ValidationError) as refused:
        household_place(
            actor=role_users["intake_operator"], household=household, latitude=D("-37.6"), longitude=D("-0.985")
        )

    assert refused.value.code == "point_far_from_depots"
    household.refresh_from_db()
    assert household.latitude is None
