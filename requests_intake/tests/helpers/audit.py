"""The household whose history test_audit_services.py and test_audit_pages.py read."""

import pytest

from requests_intake.tests.factories import HouseholdFactory


@pytest.fixture(name="household")
def audit_household():
    return HouseholdFactory(
        given_name="Rosa", family_name="Martínez", phone="+34611000111", vulnerabilities=["gender_violence"]
    )
