"""A household with communication needs, for test_communication_needs_services.py and _pages.py."""

import datetime as dt

import pytest

from requests_intake.tests.factories import HouseholdFactory


@pytest.fixture(name="household")
def communication_needs_household():
    return HouseholdFactory(
        given_name="Rosa",
        sign_language_interpreter=True,
        easy_read=True,
        contact_channel="whatsapp",
        contact_from=dt.time(10),
        contact_until=dt.time(13),
    )
