"""Communication needs on the household record: interpreter, easy-read, channel and hours, for intake and social
workers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import INTAKE_OPERATOR, MANAGER, SOCIAL_WORKER
from requests_intake.households import household_update
from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return HouseholdFactory(
        given_name="Rosa",
        sign_language_interpreter=True,
        easy_read=True,
        contact_channel="whatsapp",
        contact_from=dt.time(10),
        contact_until=dt.time(13),
    )


@pytest.mark.parametrize("role", [INTAKE_OPERATOR, SOCIAL_WORKER, MANAGER])
def test_the_record_shows_how_to_talk_to_the_household(client, role_users, household, role):
    client.force_login(role_users[role])
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    section = page[page.index('id="communication"') :]
    section = section[: section.index("</section>")]
    assert section.count('<strong class="note">needed</strong>') == 2
    assert "<dd>WhatsApp</dd>" in section
    assert "<dd>10:00–13:00</dd>" in section


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


def test_intake_records_the_needs_on_the_edit_page(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users[INTAKE_OPERATOR])
    form = client.get(reverse("household_edit", args=[household.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"sign_language_interpreter": "on", "contact_channel": "sms", "contact_from": "09:00"}
    data |= {"members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0}
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    response = client.post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    household.refresh_from_db()
    assert (household.sign_language_interpreter, household.contact_channel, household.contact_from) == (
        True,
        "sms",
        dt.time(9),
    )
