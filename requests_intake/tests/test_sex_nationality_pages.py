"""The record's edit page takes the holder's and each member's sex and nationality group, and the record shows
them; a value outside the choices is refused on the page."""

import pytest
from django.urls import reverse

from requests_intake.models import Household, HouseholdMember
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    made = HouseholdFactory(members=2, document_type="nie", document_number="Y1234567X")
    HouseholdMemberFactory(household=made, given_name="Nadia", relationship="child")
    return made


def _post(household: Household, member: HouseholdMember, **holder) -> dict:
    data = {
        "given_name": household.given_name,
        "family_name": household.family_name,
        "document_type": household.document_type,
        "document_number": household.document_number,
        "phone": household.phone,
        "language": household.language,
        "address": household.address,
        "postcode": household.postcode,
        "municipality": household.municipality,
        "latitude": household.latitude,
        "longitude": household.longitude,
        "members": household.members,
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 1,
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        "members-0-id": member.pk,
        "members-0-household": household.pk,
        "members-0-given_name": member.given_name,
        "members-0-family_name": member.family_name,
        "members-0-birth_date": member.birth_date.isoformat(),
        "members-0-relationship": member.relationship,
        "members-0-sex": "female",
        "members-0-nationality": "spanish",
    }
    return data | holder


def test_the_edit_page_saves_the_holders_and_a_members_sex_and_nationality(client, role_users, household):
    client.force_login(role_users["social_worker"])  # who may correct listed members
    member = household.people.get()

    response = client.post(
        reverse("household_edit", args=[household.pk]), _post(household, member, sex="male", nationality="africa")
    )

    assert response.status_code == 302
    household.refresh_from_db()
    member.refresh_from_db()
    assert (household.sex, household.nationality) == ("male", "africa")
    assert (member.sex, member.nationality) == ("female", "spanish")


def test_the_record_shows_sex_and_nationality_of_the_holder_and_members(client, role_users, household):
    Household.objects.filter(pk=household.pk).update(sex="male", nationality="africa")
    HouseholdMember.objects.filter(household=household).update(sex="female", nationality="spanish")
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("household_detail", args=[household.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<dt>Sex</dt><dd>Male</dd>" in page
    assert "<dt>Nationality</dt><dd>Africa</dd>" in page
    assert "<td>Female</td><td>Spanish</td>" in page


def test_a_holder_nationality_outside_the_choices_is_refused_and_nothing_saved(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    member = household.people.get()

    response = client.post(
        reverse("household_edit", args=[household.pk]), _post(household, member, nationality="atlantis")
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["nationality"][0].code == "invalid_choice"
    household.refresh_from_db()
    member.refresh_from_db()
    assert (household.nationality, member.sex) == ("", "")
