"""Case work: the professional of reference (assigned, transferred, with history), "My cases", the owner column of
the queue, and case notes (interventions) that only the zone's social workers and managers read.

Here through the HTTP client (pages, API, admin); the services are tested in test_cases_services.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import DRIVER, INTAKE_OPERATOR, MANAGER, SOCIAL_WORKER
from core.tests.factories import UserFactory
from requests_intake.cases import household_assign_worker
from requests_intake.models import AidRequest, CaseAssignment, Intervention
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.tests.helpers.cases import _note, cases_household, cases_worker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


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
