"""The council's report counts the people served by the sex and nationality group recorded on the holder's
record and each member's, and keeps the holder's identity document as a breakdown of its own."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import Round, Stop
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from reports.council import council_report, period_parse
from requests_intake.models import HouseholdMember
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory
from routing.models import PlanningRun
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 4)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def served(role_users):
    """Delivered in March 2030: a Spanish woman (DNI) with a Spanish son and a daughter of no recorded nationality,
    and a Moroccan man (NIE) whose partner's sex was not recorded. A third household, with a Latin American holder,
    was visited and not found at home: it was not served."""
    spanish = HouseholdFactory(document_type="dni", sex="female", nationality="spanish")
    HouseholdMemberFactory(household=spanish, sex="male", nationality="spanish", relationship="child")
    HouseholdMemberFactory(household=spanish, sex="female", nationality="", relationship="child")
    moroccan = HouseholdFactory(document_type="nie", sex="male", nationality="africa")
    HouseholdMemberFactory(household=moroccan, sex="", nationality="africa", relationship="partner")
    absent = HouseholdFactory(document_type="passport", sex="female", nationality="latin_america")
    plan = approved_plan(role_users)
    warehouse = WarehouseFactory()
    vehicle = VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(date=DAY, requested_by=role_users["driver"])
    round_ = Round.objects.create(
        run=run,
        date=DAY,
        vehicle=vehicle,
        driver=role_users["driver"],
        depot=warehouse,
        start_at=_at(DAY, 9),
        end_at=_at(DAY, 13),
        distance_m=10_000,
    )
    for sequence, (household, outcome) in enumerate(
        ((spanish, "delivered"), (moroccan, "delivered"), (absent, "failed")), start=1
    ):
        order = DeliveryOrder.objects.create(
            plan=plan, household=household, warehouse=warehouse, due_date=DAY, status=outcome
        )
        Stop.objects.create(
            round=round_,
            order=order,
            sequence=sequence,
            arrival_at=_at(DAY, 10),
            outcome=outcome,
            failure_reason="not_home" if outcome == "failed" else "",
        )
    return spanish, moroccan, absent


def _people(report, section: str) -> dict[str, int]:
    return {row.figure: row.people for row in report.rows if row.section == section}


def _march():
    period, name = period_parse(month="2030-03")
    return council_report(period=period, name=name)


def test_people_are_counted_by_the_sex_recorded_for_the_holder_and_each_member(served):
    report = _march()

    assert _people(report, "Sex") == {"Female": 2, "Male": 2, "Other": 0, "Not recorded": 1}


def test_people_are_counted_by_the_nationality_group_recorded_for_each(served):
    report = _march()

    assert _people(report, "Nationality group") == {
        "Spanish": 2,
        "Another European Union country": 0,
        "Rest of Europe": 0,
        "Africa": 2,
        "Central and South America": 0,
        "Asia": 0,
        "Other (North America, Oceania)": 0,
        "Stateless": 0,
        "Not recorded": 1,
    }


def test_the_holders_identity_document_is_a_breakdown_of_households(served):
    report = _march()

    rows = {
        row.figure: (row.households, row.people) for row in report.rows if row.section == "Holder's identity document"
    }
    assert rows == {
        "Spanish (DNI)": (1, 3),
        "Foreign resident (NIE)": (1, 2),
        "Foreign, other document (passport, RUT)": (0, 0),
        "Not recorded (no document)": (0, 0),
    }


def test_sex_and_nationality_rows_add_up_to_the_people_served_as_counted_in_the_database(served):
    report = _march()
    spanish, moroccan, _absent = served

    total = report.rows[0]
    counted_directly = 2 + HouseholdMember.objects.filter(household__in=[spanish, moroccan]).count()
    assert total.people == counted_directly == 5
    assert sum(_people(report, "Sex").values()) == total.people
    assert sum(_people(report, "Nationality group").values()) == total.people
    # Each person once: the recorded values of the served people, straight from the rows.
    sexes = Counter(
        [spanish.sex, moroccan.sex]
        + list(HouseholdMember.objects.filter(household__in=[spanish, moroccan]).values_list("sex", flat=True))
    )
    assert _people(report, "Sex")["Female"] == sexes["female"]


def test_a_member_added_with_an_unknown_sex_or_nationality_code_is_refused_by_the_model(served):
    spanish, _moroccan, _absent = served
    member = HouseholdMember(household=spanish, given_name="Ana", relationship="child", sex="f", nationality="es")

    with pytest.raises(ValidationError) as excinfo:
        member.full_clean()

    errors = excinfo.value.error_dict
    assert [error.code for error in errors["sex"]] == ["invalid_choice"]
    assert [error.code for error in errors["nationality"]] == ["invalid_choice"]
    assert HouseholdMember.objects.filter(household=spanish).count() == 2
