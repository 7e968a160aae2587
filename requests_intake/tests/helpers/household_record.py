"""The household whose record test_household_record_services.py and _pages.py read and edit."""

import datetime as dt

import pytest

from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory


@pytest.fixture(name="household")
def household_record_household():
    household = HouseholdFactory(
        given_name="Rosa",
        family_name="Martínez Gil",
        birth_date=dt.date(1970, 5, 2),
        phone="+34611000111",
        email="rosa@example.org",
        vulnerabilities=["gender_violence"],
        diets=["halal"],
        preferred_days=[0, 3],
        access_notes="Portal 2, timbre roto",
        members=2,
    )
    HouseholdMemberFactory(household=household, given_name="Iker", birth_date=dt.date(2016, 1, 10))
    return household
