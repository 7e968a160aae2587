"""Communication needs on the household record: interpreter, easy-read, channel and hours, for intake and social
workers.

Here through the HTTP client (pages, API, admin); the services are tested in test_communication_needs_services.py."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import INTAKE_OPERATOR, MANAGER, SOCIAL_WORKER
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.communication_needs import communication_needs_household  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [INTAKE_OPERATOR, SOCIAL_WORKER, MANAGER])
def test_the_record_shows_how_to_talk_to_the_household(client, role_users, household, role):
    client.force_login(role_users[role])
    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    section = page[page.index('id="communication"') :]
    section = section[: section.index("</section>")]
    assert section.count('<strong class="note">needed</strong>') == 2
    assert "<dd>WhatsApp</dd>" in section
    assert "<dd>10:00–13:00</dd>" in section


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
