"""Case work: the professional of reference (assigned, transferred, with history), "My cases", the owner column of
the queue, and case notes (interventions) that only the zone's social workers and managers read."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, MANAGER, SOCIAL_WORKER, SUPPLIER_COORDINATOR
from core.tests.factories import UserFactory
from requests_intake.cases import household_assign_worker, intervention_record
from requests_intake.models import AidRequest, CaseAssignment, Household, Intervention
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.timeline import household_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory(name="Casco Antiguo")


@pytest.fixture
def worker(role_users, zone):
    """The role fixture's social worker, working the zone."""
    user = role_users[SOCIAL_WORKER]
    user.first_name, user.last_name = "Lucía", "Ferrer"
    user.save(update_fields=["first_name", "last_name"])
    zone.social_workers.add(user)
    return user


@pytest.fixture
def colleague(zone):
    user = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    user.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    zone.social_workers.add(user)
    return user


@pytest.fixture
def household(zone):
    return HouseholdFactory(given_name="Rosa", family_name="Martínez Gil", zone=zone)


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


def test_the_assign_action_on_the_record_transfers_the_case(client, worker, colleague, household):
    client.force_login(worker)
    response = client.post(
        reverse("household_assign", args=[household.pk]), {"worker": colleague.pk, "reason": "Reparto de casos"}
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.reference_worker == colleague
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert "Ana Ruiz" in page
    assert "Reparto de casos" in page


def test_the_assign_action_refuses_a_worker_not_offered(client, role_users, worker, household):
    client.force_login(worker)
    client.post(reverse("household_assign", args=[household.pk]), {"worker": role_users[DRIVER].pk})
    household.refresh_from_db()
    assert household.reference_worker is None
    assert CaseAssignment.objects.count() == 0


def test_my_cases_lists_only_the_households_i_follow(client, worker, colleague, household, zone):
    other = HouseholdFactory(given_name="Juan", family_name="Pérez", zone=zone)
    household_assign_worker(actor=worker, household=household, worker=worker)
    household_assign_worker(actor=worker, household=other, worker=colleague)
    client.force_login(worker)
    page = client.get(reverse("cases_mine")).content.decode()
    assert "Rosa Martínez Gil" in page
    assert "Juan Pérez" not in page


def test_the_assessment_queue_shows_each_requests_owner(client, worker, household, zone):
    AidRequest.objects.create(
        household=household, zone=zone, channel="phone", needs=["food"], received_at=timezone.now()
    )
    household_assign_worker(actor=worker, household=household, worker=worker)
    client.force_login(worker)
    page = client.get(reverse("assessment_queue")).content.decode()
    assert '<td class="owner">Lucía Ferrer</td>' in page


# Interventions


def _note(actor, household, **overrides) -> Intervention:
    fields = {
        "kind": Intervention.Kind.CALL,
        "date": timezone.localdate(),
        "duration_minutes": 15,
        "topic": "Bono social",
        "note": "Le explico los papeles.",
    }
    return intervention_record(actor=actor, household=household, **(fields | overrides))


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


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (SOCIAL_WORKER, True),
        (MANAGER, True),
        (INTAKE_OPERATOR, False),
    ],
)
def test_interventions_on_the_record_only_for_social_workers_and_managers(
    client, role_users, worker, household, role, sees
):
    _note(worker, household, topic="Padrón municipal")
    client.force_login(role_users[role])
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert ("Padrón municipal" in page) is sees
    assert ('id="interventions"' in page) is sees


def test_a_social_worker_of_another_zone_does_not_see_the_notes_page(client, household):
    from core.roles import roles_sync

    groups = roles_sync()
    elsewhere = UserFactory(username="pilar")
    elsewhere.groups.add(groups[SOCIAL_WORKER])
    ZoneFactory(name="Barrio Peral").social_workers.add(elsewhere)
    client.force_login(elsewhere)
    assert client.get(reverse("intervention_new", args=[household.pk])).status_code == 403


def test_the_new_intervention_page_saves_and_returns_to_the_record(client, worker, household):
    client.force_login(worker)
    response = client.post(
        reverse("intervention_new", args=[household.pk]),
        {"kind": "interview", "date": timezone.localdate().isoformat(), "duration_minutes": 40, "topic": "Empleo"},
    )
    assert response.status_code == 302
    assert Intervention.objects.get().topic == "Empleo"


def test_the_new_intervention_page_refuses_a_zero_duration(client, worker, household):
    client.force_login(worker)
    response = client.post(
        reverse("intervention_new", args=[household.pk]),
        {"kind": "interview", "date": timezone.localdate().isoformat(), "duration_minutes": 0, "topic": "Empleo"},
    )
    assert response.status_code == 200
    assert Intervention.objects.count() == 0


def test_interventions_are_on_the_timeline_only_when_case_notes_are_asked_for(worker, household):
    _note(worker, household, kind=Intervention.Kind.COORDINATION, topic="Cáritas", duration_minutes=20)
    with_notes = [e for e in household_timeline(household, case_notes=True) if e.kind == "intervention"]
    assert [(e.title, e.who) for e in with_notes] == [
        ("Intervention: Coordination with another service", "Lucía Ferrer")
    ]
    assert with_notes[0].detail == "Cáritas · 20 min · Le explico los papeles."
    assert [e for e in household_timeline(household) if e.kind == "intervention"] == []


def test_the_managers_figures_count_interventions_by_month_and_kind(client, role_users, worker, household):
    from reports.case_work import intervention_figures
    from reports.metrics import Period

    for day, kind in [
        (dt.date(2026, 1, 5), Intervention.Kind.CALL),
        (dt.date(2026, 1, 20), Intervention.Kind.CALL),
        (dt.date(2026, 2, 3), Intervention.Kind.HOME_VISIT),
        (dt.date(2026, 4, 1), Intervention.Kind.CALL),  # after the period
    ]:
        Intervention.objects.create(
            household=household, kind=kind, date=day, duration_minutes=10, topic="t", author=worker
        )
    figures = intervention_figures(period=Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    assert [(m.month, m.counts) for m in figures.months] == [
        (dt.date(2026, 1, 1), (2, 0, 0, 0, 0)),
        (dt.date(2026, 2, 1), (0, 0, 1, 0, 0)),
        (dt.date(2026, 3, 1), (0, 0, 0, 0, 0)),
    ]
    assert (figures.totals, figures.total) == ((2, 0, 1, 0, 0), 3)
    client.force_login(role_users[MANAGER])
    page = client.get(reverse("figures"), {"first": "2026-01-01", "last": "2026-03-31"}).content.decode()
    assert 'id="interventions"' in page
    assert "<td>01/2026</td>" in page


def test_interventions_of_another_zone_are_left_out_of_a_zones_figures(worker, household):
    from reports.case_work import intervention_figures
    from reports.metrics import Period

    Intervention.objects.create(
        household=household, kind="call", date=dt.date(2026, 1, 5), duration_minutes=10, topic="t", author=worker
    )
    figures = intervention_figures(period=Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)), zone=ZoneFactory())
    assert figures.total == 0
