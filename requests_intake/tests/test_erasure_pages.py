"""Erasing a household's personal data: gone everywhere (history too), figures unchanged, the erasure itself on
record, refused while aid is under way, and only for managers.

Here through the HTTP client (pages, API, admin); the services are tested in test_erasure_services.py."""

import pytest
from django.urls import reverse

from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.erasure import REASON, _household, _unchanged
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["intake_operator", "social_worker", "logistics_planner", "driver", "supplier_coordinator"]
)
def test_other_roles_get_403_and_erase_nothing(client, role_users, role):
    household = _household()
    before = _unchanged(household)
    client.force_login(role_users[role])
    url = reverse("household_erase", args=[household.pk])

    statuses = (client.get(url).status_code, client.post(url, {"confirm": household.pk, "reason": REASON}).status_code)

    assert statuses == (403, 403)
    assert _unchanged(household) == before


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client):
    household = _household()

    response = client.get(reverse("household_erase", args=[household.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_manager_sees_what_will_be_erased_and_what_is_kept(client, role_users):
    household = _household()
    client.force_login(role_users["manager"])

    page = client.get(reverse("household_erase", args=[household.pk])).content.decode()

    assert f"Erase the personal data of household {household.pk} · Wenceslaa Zubizarreta" in page
    assert "Erased everywhere, history included" in page
    assert "Kept for the figures" in page
    assert 'name="confirm"' in page


def test_typing_another_number_erases_nothing(client, role_users):
    household = _household()
    before = _unchanged(household)
    client.force_login(role_users["manager"])

    response = client.post(
        reverse("household_erase", args=[household.pk]), {"confirm": household.pk + 1, "reason": REASON}
    )

    assert response.status_code == 200
    assert (
        f"That is not this household&#x27;s number; type {household.pk} to erase this one." in response.content.decode()
    )
    assert _unchanged(household) == before


def test_typing_the_number_and_a_reason_erases_and_returns_to_the_record(client, role_users):
    household = _household()
    client.force_login(role_users["manager"])

    response = client.post(
        reverse("household_erase", args=[household.pk]), {"confirm": str(household.pk), "reason": REASON}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("household_detail", args=[household.pk])
    assert f"The personal data of household {household.pk} was erased" in response.content.decode()
    household.refresh_from_db()
    assert household.full_name == "Erased"
    assert Household.history.filter(id=household.pk).latest("history_date").history_change_reason == REASON


def test_the_page_shows_why_it_cannot_erase_yet_and_refuses_the_post(client, role_users):
    household = _household()
    order, _item, _warehouse = approved_order(role_users, household=household)
    before = _unchanged(household)
    client.force_login(role_users["manager"])
    url = reverse("household_erase", args=[household.pk])

    page = client.get(url).content.decode()
    client.post(url, {"confirm": str(household.pk), "reason": REASON})

    assert "Not yet: aid is still under way" in page
    assert f"Order {order.pk} for" in page
    assert 'name="confirm"' not in page
    assert _unchanged(household) == before


def test_the_household_record_links_to_the_erasure_for_managers_only(client, role_users):
    household = HouseholdFactory()
    erase = reverse("household_erase", args=[household.pk])
    client.force_login(role_users["manager"])
    assert erase in client.get(reverse("household_detail", args=[household.pk])).content.decode()
    client.force_login(role_users["social_worker"])
    assert erase not in client.get(reverse("household_detail", args=[household.pk])).content.decode()
