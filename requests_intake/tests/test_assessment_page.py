"""The assessment page a social worker decides on."""

import pytest
from django.urls import reverse

from requests_intake.services import aid_request_register
from tests.factories import HouseholdFactory, tomorrow

pytestmark = pytest.mark.django_db


def test_the_delivery_date_defaults_to_tomorrow_as_an_iso_date_in_spanish(client, role_users, settings):
    settings.LANGUAGE_CODE = "es"
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment", args=[request.pk])).content.decode()

    assert f'type="date" name="first_delivery_on" value="{tomorrow().isoformat()}"' in page
    assert "Aprobar" in page
