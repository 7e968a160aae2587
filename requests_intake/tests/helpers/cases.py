"""Case work's social worker, household and case note, shared by test_cases_services.py and test_cases_pages.py."""

import pytest
from django.utils import timezone

from core.roles import SOCIAL_WORKER
from requests_intake.cases import intervention_record
from requests_intake.models import Intervention
from requests_intake.tests.factories import HouseholdFactory


@pytest.fixture(name="worker")
def cases_worker(role_users, zone):
    """The role fixture's social worker, working the zone."""
    user = role_users[SOCIAL_WORKER]
    user.first_name, user.last_name = "Lucía", "Ferrer"
    user.save(update_fields=["first_name", "last_name"])
    zone.social_workers.add(user)
    return user


@pytest.fixture(name="household")
def cases_household(zone):
    return HouseholdFactory(given_name="Rosa", family_name="Martínez Gil", zone=zone)


def _note(actor, household, **overrides) -> Intervention:
    fields = {
        "kind": Intervention.Kind.CALL,
        "date": timezone.localdate(),
        "duration_minutes": 15,
        "topic": "Bono social",
        "note": "Le explico los papeles.",
    }
    return intervention_record(actor=actor, household=household, **(fields | overrides))
