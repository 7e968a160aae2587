"""The social worker, households and visits of test_home_visits_services.py and _pages.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import SOCIAL_WORKER
from requests_intake.models import HomeVisit
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.visits import home_visit_schedule


@pytest.fixture(name="worker")
def home_visits_worker(role_users, zone):
    user = role_users[SOCIAL_WORKER]
    zone.social_workers.add(user)
    return user


def _household(zone, name: str, latitude: str | None, longitude: str | None):
    return HouseholdFactory(
        given_name=name,
        zone=zone,
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if longitude else None,
    )


def _visit(worker, household, start: str, end: str, purpose: str = "Seguimiento", date=None) -> HomeVisit:
    return home_visit_schedule(
        actor=worker,
        household=household,
        worker=worker,
        date=date or timezone.localdate(),
        window_start=dt.time.fromisoformat(start),
        window_end=dt.time.fromisoformat(end),
        purpose=purpose,
    )
