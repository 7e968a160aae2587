"""Case work: the professional of reference (assigned, transferred, with history), "My cases", the owner column of
the queue, and case notes (interventions) that only the zone's social workers and managers read.

Here the services, models and commands, called directly; the pages are tested in test_cases_pages.py."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, MANAGER, SOCIAL_WORKER, SUPPLIER_COORDINATOR
from core.tests.factories import UserFactory
from requests_intake.cases import household_assign_worker
from requests_intake.models import CaseAssignment, Household, Intervention
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.tests.helpers.cases import _note, cases_household, cases_worker  # noqa: F401 (fixtures)
from requests_intake.timeline import household_timeline

pytestmark = pytest.mark.django_db


def _refused(code: str, **kwargs) -> None:
    with pytest.raises(ValidationError) as caught:
        household_assign_worker(**kwargs)
    assert [e.code for e in caught.value.error_list] == [code]


# The professional of reference


def test_assigning_a_worker_records_who_from_whom_and_why(worker, household):
    assignment = household_assign_worker(actor=worker, household=household, worker=worker, reason="Primera acogida")
    household.refresh_from_db()
    assert household.reference_worker == worker
    assert (assignment.from_worker, assignment.to_worker, assignment.assigned_by, assignment.reason) == (
        None,
        worker,
        worker,
        "Primera acogida",
    )


def test_transferring_a_case_keeps_the_whole_history(role_users, worker, colleague, household):
    household_assign_worker(actor=worker, household=household, worker=worker)
    household_assign_worker(actor=role_users[MANAGER], household=household, worker=colleague, reason="Baja médica")
    household.refresh_from_db()
    assert household.reference_worker == colleague
    rows = list(
        CaseAssignment.objects.filter(household=household)
        .order_by("pk")
        .values_list("from_worker__username", "to_worker__username", "assigned_by__username", "reason")
    )
    assert rows == [(None, SOCIAL_WORKER, SOCIAL_WORKER, ""), (SOCIAL_WORKER, "ana", MANAGER, "Baja médica")]


def test_the_household_history_says_who_changed_the_professional(worker, household):
    household_assign_worker(actor=worker, household=household, worker=worker)
    last = household.history.latest("history_date")
    assert (last.history_user, last.history_change_reason, last.reference_worker_id) == (
        worker,
        "Professional of reference changed",
        worker.pk,
    )


def test_assigning_the_same_worker_again_is_refused_and_records_nothing(worker, household):
    household_assign_worker(actor=worker, household=household, worker=worker)
    _refused("same_worker", actor=worker, household=household, worker=worker)
    assert CaseAssignment.objects.count() == 1


def test_a_driver_cannot_hold_a_case(role_users, worker, household):
    _refused("not_a_case_worker", actor=worker, household=household, worker=role_users[DRIVER])
    household.refresh_from_db()
    assert household.reference_worker is None
    assert CaseAssignment.objects.count() == 0


def test_a_worker_of_another_zone_cannot_hold_the_case(worker, household):
    elsewhere = UserFactory(username="pilar")
    elsewhere.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    ZoneFactory(name="Barrio Peral").social_workers.add(elsewhere)
    _refused("outside_zone", actor=worker, household=household, worker=elsewhere)
    household.refresh_from_db()
    assert household.reference_worker is None


def test_an_intake_operator_may_not_assign_cases(role_users, worker, household):
    _refused("assign_not_allowed", actor=role_users[INTAKE_OPERATOR], household=household, worker=worker)
    assert CaseAssignment.objects.count() == 0


def test_a_reason_longer_than_the_field_is_refused(worker, household):
    _refused("reason_too_long", actor=worker, household=household, worker=worker, reason="x" * 201)
    assert CaseAssignment.objects.count() == 0


def test_a_merged_record_cannot_be_assigned(worker, household, zone):
    kept = HouseholdFactory(zone=zone)
    Household.objects.filter(pk=household.pk).update(merged_into=kept)
    household.refresh_from_db()
    _refused("household_merged", actor=worker, household=household, worker=worker)


def test_a_social_worker_records_an_intervention(worker, household):
    note = _note(worker, household)
    assert Intervention.objects.filter(household=household).values_list(
        "kind", "duration_minutes", "topic", "author"
    ).get() == ("call", 15, "Bono social", worker.pk)
    assert note.date == timezone.localdate()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"kind": "gossip"}, "kind", "bad_kind"),
        ({"date": dt.date(2999, 1, 1)}, "date", "date_in_future"),
        ({"duration_minutes": 0}, "duration_minutes", "duration_out_of_range"),
        ({"duration_minutes": 601}, "duration_minutes", "duration_out_of_range"),
        ({"topic": "   "}, "topic", "topic_missing"),
    ],
)
def test_bad_intervention_input_is_refused_and_nothing_is_saved(worker, household, overrides, field, code):
    with pytest.raises(ValidationError) as caught:
        _note(worker, household, **overrides)
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize("role", [INTAKE_OPERATOR, DRIVER, LOGISTICS_PLANNER, SUPPLIER_COORDINATOR, MANAGER])
def test_only_social_workers_write_case_notes(role_users, household, role):
    with pytest.raises(ValidationError) as caught:
        _note(role_users[role], household)
    assert [e.code for e in caught.value.error_list] == ["notes_not_allowed"]
    assert Intervention.objects.count() == 0


def test_a_social_worker_of_another_zone_may_not_write_notes_here(household):
    elsewhere = UserFactory(username="pilar")
    elsewhere.groups.add(Group.objects.get_or_create(name=SOCIAL_WORKER)[0])
    from core.roles import roles_sync

    roles_sync()
    ZoneFactory(name="Barrio Peral").social_workers.add(elsewhere)
    with pytest.raises(ValidationError) as caught:
        _note(elsewhere, household)
    assert [e.code for e in caught.value.error_list] == ["notes_not_allowed"]


def test_interventions_are_on_the_timeline_only_when_case_notes_are_asked_for(worker, household):
    _note(worker, household, kind=Intervention.Kind.COORDINATION, topic="Cáritas", duration_minutes=20)
    with_notes = [e for e in household_timeline(household, case_notes=True) if e.kind == "intervention"]
    assert [(e.title, e.who) for e in with_notes] == [
        ("Intervention: Coordination with another service", "Lucía Ferrer")
    ]
    assert with_notes[0].detail == "Cáritas · 20 min · Le explico los papeles."
    assert [e for e in household_timeline(household) if e.kind == "intervention"] == []


def test_interventions_of_another_zone_are_left_out_of_a_zones_figures(worker, household):
    from reports.case_work import intervention_figures
    from reports.metrics import Period

    Intervention.objects.create(
        household=household, kind="call", date=dt.date(2026, 1, 5), duration_minutes=10, topic="t", author=worker
    )
    figures = intervention_figures(period=Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)), zone=ZoneFactory())
    assert figures.total == 0
