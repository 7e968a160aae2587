"""Fixtures that intake's service tests and page tests share, by the files that use them. A test file that defines
a fixture of the same name (test_exports.py's `carmen` and `zones`) uses its own. The `household` and `worker` of
audit, cases, communication needs, home visits and the household record differ per file; they live in
requests_intake/tests/helpers/ and each test file imports the one it uses."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import SOCIAL_WORKER
from core.tests.factories import UserFactory
from inventory.tests.factories import WarehouseFactory
from requests_intake.models import AidPlan, AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory, ZoneFactory
from requests_intake.tests.helpers.duplicates import _other
from requests_intake.tests.helpers.import_hostile_files import HOSTILE
from tests.scenarios import approved_order

# Case work and home visits (test_cases_*, test_home_visits_*)


@pytest.fixture
def zone():
    return ZoneFactory(name="Casco Antiguo")


@pytest.fixture
def colleague(zone):
    user = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    user.groups.add(Group.objects.get(name=SOCIAL_WORKER))
    zone.social_workers.add(user)
    return user


# Plans and decisions (test_commitments_*, test_decisions_*)


@pytest.fixture
def weekly(role_users):
    """A household with a weekly plan whose first order is due; and a second request waiting for assessment."""
    household = HouseholdFactory()
    order, _item, _warehouse = approved_order(role_users, household=household)
    AidPlan.objects.filter(pk=order.plan_id).update(repeat_every_days=7, first_delivery_on=order.due_date)
    second = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"]
    )
    pack = order.lines.get().pack
    return {"household": household, "order": order, "second": second, "pack": pack}


@pytest.fixture
def waiting(role_users):
    WarehouseFactory()
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )


# Duplicates and merging (test_duplicates_*)


@pytest.fixture
def carmen():
    return HouseholdFactory(
        given_name="Carmen",
        family_name="Sánchez López",
        document_type="dni",
        document_number="12345678Z",
        phone="+34968123456",
        address="Calle del Almendro 3, 2º",
    )


@pytest.fixture
def pair(role_users, carmen):
    """Carmen registered twice: the second record has a request with an order, a member and an e-mail."""
    duplicate = _other(
        given_name="Carmen",
        family_name="Sanchez Lopez",
        phone=carmen.phone,
        email="carmen@example.org",
        consent_on=dt.date(2025, 1, 15),
        consent_scope="service",
        reduced_mobility=True,
    )
    HouseholdMemberFactory(household=duplicate, given_name="Pablo", birth_date=dt.date(2012, 6, 1))
    order, _item, _warehouse = approved_order(role_users, household=duplicate)
    return carmen, duplicate, order


# Spreadsheets (test_import_households_*, test_import_hostile_files_*)


@pytest.fixture
def zones():
    return {
        number: ZoneFactory(code=f"zona-{number}", name=f"Zona {number}", postcodes=postcode)
        for number, postcode in [(1, "30201"), (2, "30202"), (3, "30204"), (4, "30203")]
    }


@pytest.fixture
def hostile_zone():
    zone = ZoneFactory(code="norte", name="Zona Norte")
    for index, text in enumerate(HOSTILE):
        HouseholdFactory(
            given_name=text, family_name=f"Apellido {index}", address=text, phone=f"+3460000000{index}", zone=zone
        )
    return zone


# Zone access (test_zone_access_*)


@pytest.fixture
def world(role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    worker = role_users[SOCIAL_WORKER]
    worker.zones.add(mine)
    households = {
        "mine": HouseholdFactory(zone=mine),
        "unplaced": HouseholdFactory(zone=None),
        "other": HouseholdFactory(zone=other),
    }
    requests = {
        name: AidRequest.objects.create(
            household=household, zone=household.zone, channel="phone", needs=["food"], received_at=timezone.now()
        )
        for name, household in households.items()
    }
    return {"worker": worker, "households": households, "requests": requests, "mine": mine}
