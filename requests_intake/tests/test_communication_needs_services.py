"""Communication needs on the household record: interpreter, easy-read, channel and hours, for intake and social
workers.

Here the services, models and commands, called directly; the pages are tested in test_communication_needs_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.roles import SOCIAL_WORKER
from requests_intake.households import household_update
from requests_intake.models import Household
from requests_intake.tests.helpers.communication_needs import communication_needs_household  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_contact_hours_that_end_before_they_start_are_refused(role_users, household):
    with pytest.raises(ValidationError) as caught:
        household_update(
            actor=role_users[SOCIAL_WORKER], household=household, contact_from=dt.time(14), contact_until=dt.time(9)
        )
    assert [e.code for e in caught.value.error_dict["__all__"]] == ["contact_hours_empty"]
    household.refresh_from_db()
    assert (household.contact_from, household.contact_until) == (dt.time(10), dt.time(13))


def test_an_unknown_contact_channel_is_refused(role_users, household):
    with pytest.raises(ValidationError) as caught:
        household_update(actor=role_users[SOCIAL_WORKER], household=household, contact_channel="pigeon")
    assert [e.code for e in caught.value.error_dict["contact_channel"]] == ["invalid_choice"]
    assert Household.objects.get(pk=household.pk).contact_channel == "whatsapp"
