"""Pages: an unknown street is said at once on the call's next screen and on the record, with known streets and a
link to place the pin; the placing page saves a point and refuses a bad one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _unplaced():
    return HouseholdFactory(address="Calle del Almendrp 3", municipality="Cartagena", latitude=None, longitude=None)


def test_the_next_screen_of_the_call_says_the_street_is_unknown_and_suggests_one(client, role_users):
    household = _unplaced()
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("request_new", args=[household.pk])).content.decode()

    assert 'id="address-unplaced"' in page
    assert "<strong>Calle del Almendro</strong>" in page
    assert reverse("household_place", args=[household.pk]) in page


def test_registering_an_unknown_street_goes_to_a_screen_that_says_so(client, role_users):
    client.force_login(role_users["intake_operator"])
    form = {
        "given_name": "Rosa",
        "family_name": "Pérez",
        "document_type": "none",
        "document_number": "",
        "phone": "968 12 34 56",
        "address": "Calle que no existe 4",
        "postcode": "30201",
        "municipality": "Cartagena",
        "members": "2",
        "language": "es",
    }

    response = client.post(reverse("intake"), form, follow=True)

    household = Household.objects.get(family_name="Pérez")
    assert household.latitude is None
    assert 'id="address-unplaced"' in response.content.decode()


def test_a_placed_household_shows_no_warning(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert 'id="address-unplaced"' not in page


def test_the_placing_page_saves_the_point_and_goes_back_to_the_record(client, role_users):
    approved_order(role_users)
    household = _unplaced()
    client.force_login(role_users["intake_operator"])
    assert client.get(reverse("household_place", args=[household.pk])).status_code == 200

    response = client.post(reverse("household_place", args=[household.pk]), {"point": "37.6174, -0.9727"})

    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[household.pk])
    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (Decimal("37.617400"), Decimal("-0.972700"))


@pytest.mark.parametrize("point", ["near the church", "95, 0", "-37.6174, -0.9727"])
def test_a_bad_point_is_shown_on_the_form_and_nothing_is_saved(client, role_users, point):
    approved_order(role_users)
    household = _unplaced()
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("household_place", args=[household.pk]), {"point": point})

    assert response.status_code == 200
    assert response.context["form"].errors["point"]
    household.refresh_from_db()
    assert household.latitude is None


def test_a_driver_may_not_place_a_household(client, role_users):
    household = _unplaced()
    client.force_login(role_users["driver"])

    assert client.post(reverse("household_place", args=[household.pk]), {"point": "37.6, -0.98"}).status_code == 403
    household.refresh_from_db()
    assert household.latitude is None
