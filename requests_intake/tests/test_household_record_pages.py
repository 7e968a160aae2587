"""The household record (ficha): who sees what, editing the holder and the members, and the timeline.

Here through the HTTP client (pages, API, admin); the services are tested in test_household_record_services.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import Household, HouseholdMember
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory
from requests_intake.tests.helpers.household_record import household_record_household  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _today_age(birth_date: dt.date) -> int:
    return HouseholdMember(birth_date=birth_date).age_on(timezone.localdate())


def _edit_data(household: Household, new_members=(), **overrides) -> dict:
    """What the edit page posts for the record as it is, with `overrides` on the holder's fields."""
    data = {
        "given_name": household.given_name,
        "family_name": household.family_name,
        "birth_date": household.birth_date.isoformat() if household.birth_date else "",
        "document_type": household.document_type,
        "document_number": household.document_number,
        "phone": household.phone,
        "email": household.email,
        "language": household.language,
        "address": household.address,
        "postcode": household.postcode,
        "municipality": household.municipality,
        "zone": household.zone_id or "",
        "latitude": household.latitude or "",
        "longitude": household.longitude or "",
        "access_notes": household.access_notes,
        "members": household.members,
        "consent_on": household.consent_on.isoformat() if household.consent_on else "",
        "consent_scope": household.consent_scope,
        "diets": household.diets,
        "preferred_days": household.preferred_days,
        "preferred_from": "",
        "preferred_until": "",
        "vulnerabilities": household.vulnerabilities,
    }
    if household.reduced_mobility:
        data["reduced_mobility"] = "on"
    data.update(overrides)
    existing = list(household.people.all())
    rows = [
        {
            "id": m.pk,
            "given_name": m.given_name,
            "family_name": m.family_name,
            "birth_date": m.birth_date.isoformat() if m.birth_date else "",
            "relationship": m.relationship,
        }
        for m in existing
    ]
    rows += list(new_members)
    data.update(
        {
            "members-TOTAL_FORMS": len(rows),
            "members-INITIAL_FORMS": len(existing),
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
        }
    )
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"members-{i}-{key}"] = value
        data[f"members-{i}-household"] = household.pk
    return data


# The record page and who may see it


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "manager"])
def test_the_record_shows_the_holder_members_and_delivery_details(client, role_users, household, role):
    client.force_login(role_users[role])

    response = client.get(reverse("household_detail", args=[household.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rosa Martínez Gil" in page
    assert f"02/05/1970 · {_today_age(household.birth_date)} years" in page
    assert "+34611000111" in page
    assert "rosa@example.org" in page
    assert "Iker" in page
    assert "Son or daughter" in page
    assert f'<td class="num">{_today_age(dt.date(2016, 1, 10))}</td>' in page
    assert "Portal 2, timbre roto" in page
    assert "Halal" in page
    assert "Monday, Thursday" in page


def test_an_intake_operator_sees_the_record_without_vulnerability(client, role_users, household):
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert "Gender violence" not in page
    assert 'id="vulnerability"' not in page


@pytest.mark.parametrize("role", ["social_worker", "manager"])
def test_social_workers_and_managers_see_vulnerability(client, role_users, household, role):
    client.force_login(role_users[role])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert "Gender violence" in page


@pytest.mark.parametrize("role", ["driver", "logistics_planner", "supplier_coordinator"])
def test_roles_outside_social_work_cannot_open_the_record(client, role_users, household, role):
    client.force_login(role_users[role])

    assert client.get(reverse("household_detail", args=[household.pk])).status_code == 403


def test_a_record_without_consent_warns(client, role_users, household):
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert "No consent to data processing is recorded" in page


def test_a_record_with_consent_shows_its_date_and_scope_and_no_warning(client, role_users, household):
    household.consent_on, household.consent_scope = dt.date(2025, 9, 1), "service"
    household.save()
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert "No consent to data processing is recorded" not in page
    assert "01/09/2025 · To provide the aid" in page


def test_only_those_who_may_edit_or_audit_get_the_links(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    operator_page = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    client.force_login(role_users["manager"])
    manager_page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert reverse("household_edit", args=[household.pk]) in operator_page
    assert reverse("household_audit", args=[household.pk]) not in operator_page
    assert reverse("household_edit", args=[household.pk]) not in manager_page
    assert reverse("household_audit", args=[household.pk]) in manager_page


# The edit page


@pytest.mark.parametrize(("role", "expected"), [("intake_operator", 200), ("social_worker", 200), ("manager", 403)])
def test_the_edit_page_is_for_those_who_may_change_households(client, role_users, household, role, expected):
    client.force_login(role_users[role])

    assert client.get(reverse("household_edit", args=[household.pk])).status_code == expected


@pytest.mark.parametrize("role", ["driver", "logistics_planner", "supplier_coordinator"])
def test_roles_outside_social_work_cannot_edit(client, role_users, household, role):
    client.force_login(role_users[role])

    assert client.get(reverse("household_edit", args=[household.pk])).status_code == 403
    assert client.post(reverse("household_edit", args=[household.pk]), _edit_data(household)).status_code == 403


def test_editing_the_holder_saves_and_records_who_changed_it(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    data = _edit_data(household, phone="611 22 23 33", consent_on="2025-10-01", consent_scope="service")
    data.pop("vulnerabilities")  # the operator's form has no such field

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.phone, household.consent_on) == ("+34611222333", dt.date(2025, 10, 1))
    assert household.vulnerabilities == ["gender_violence"]
    latest = household.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (role_users["intake_operator"], "Record edited")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("document_number", "12345678A", "The DNI letter of “12345678A” is wrong"),
        ("phone", "12", "“12” is not a valid phone number."),
        ("birth_date", "2999-01-01", "The birth date cannot be in the future."),
    ],
)
def test_bad_holder_details_are_refused_and_nothing_is_saved(client, role_users, household, field, value, message):
    client.force_login(role_users["social_worker"])
    history_before = household.history.count()
    data = _edit_data(household, **{"document_type": "dni", "document_number": "12345678Z", field: value})

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    household.refresh_from_db()
    assert (household.document_type, household.phone, household.birth_date) == (
        "none",
        "+34611000111",
        dt.date(1970, 5, 2),
    )
    assert household.history.count() == history_before


def test_a_member_born_in_the_future_is_refused_and_nothing_is_saved(client, role_users, household):
    client.force_login(role_users["social_worker"])
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    new_member = {"given_name": "Nerea", "family_name": "", "birth_date": future, "relationship": "child"}
    data = _edit_data(household, [new_member], email="otra@example.org")

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert "The birth date cannot be in the future." in response.content.decode()
    household.refresh_from_db()
    assert (household.people.count(), household.members, household.email) == (1, 2, "rosa@example.org")


def test_a_member_without_relationship_is_refused(client, role_users, household):
    client.force_login(role_users["social_worker"])
    data = _edit_data(household, [{"given_name": "Nerea", "birth_date": "2020-02-02", "relationship": ""}])

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 200
    assert household.people.count() == 1


def test_adding_a_member_sets_the_count_to_one_plus_those_listed(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    data = _edit_data(household, [{"given_name": "Nerea", "birth_date": "2020-02-02", "relationship": "child"}])
    data.pop("vulnerabilities")

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 302
    household.refresh_from_db()
    assert sorted(household.people.values_list("given_name", flat=True)) == ["Iker", "Nerea"]
    assert household.members == 3
    added = HouseholdMember.history.filter(given_name="Nerea").get()
    assert (added.history_type, added.history_user) == ("+", role_users["intake_operator"])


def test_removing_a_member_lowers_the_count(client, role_users, household):
    client.force_login(role_users["social_worker"])
    data = _edit_data(household, members=4)
    data["members-0-DELETE"] = "on"
    household.members = 4
    household.save()

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 302
    household.refresh_from_db()
    # Iker left; the two people who live there without being named stay counted.
    assert (household.people.count(), household.members) == (0, 3)
    assert HouseholdMember.history.filter(given_name="Iker", history_type="-").count() == 1


def test_naming_a_member_already_counted_keeps_the_count(client, role_users, household):
    household.members = 3
    household.save()
    client.force_login(role_users["social_worker"])
    nerea = {"given_name": "Nerea", "birth_date": "2020-02-02", "relationship": "child"}

    response = client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, [nerea]))

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.people.count(), household.members) == (2, 3)


def test_a_count_typed_with_the_new_members_wins_when_it_covers_them(client, role_users, household):
    client.force_login(role_users["social_worker"])
    nerea = {"given_name": "Nerea", "birth_date": "2020-02-02", "relationship": "child"}

    client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, [nerea], members=5))

    household.refresh_from_db()
    assert (household.people.count(), household.members) == (2, 5)


def test_several_members_are_added_in_one_save(client, role_users, household):
    client.force_login(role_users["social_worker"])
    page = client.get(reverse("household_edit", args=[household.pk])).content.decode()
    assert page.count('name="members-TOTAL_FORMS" value="4"') == 1  # Iker and three empty rows
    new = [
        {"given_name": name, "birth_date": "2015-01-01", "relationship": "child"} for name in ("Ane", "Unai", "Leire")
    ]

    client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, new))

    household.refresh_from_db()
    assert sorted(household.people.values_list("given_name", flat=True)) == ["Ane", "Iker", "Leire", "Unai"]
    assert household.members == 5


def test_a_count_lower_than_the_members_listed_is_refused(client, role_users, household):
    HouseholdMemberFactory(household=household, given_name="Ane")
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, members=2))

    assert "at least 3 people" in response.content.decode()
    household.refresh_from_db()
    assert household.members == 2  # as the factory left it, not lowered further


def test_an_intake_operator_cannot_change_or_remove_listed_members(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    data = _edit_data(household)
    data.pop("vulnerabilities")
    data["members-0-given_name"] = "Renamed"
    data["members-0-DELETE"] = "on"

    response = client.post(reverse("household_edit", args=[household.pk]), data)

    assert response.status_code == 302
    assert list(household.people.values_list("given_name", flat=True)) == ["Iker"]


def test_the_operator_edit_form_has_no_vulnerability_field(client, role_users, household):
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_edit", args=[household.pk])).content.decode()

    assert 'name="vulnerabilities"' not in page
    assert "Gender violence" not in page


def test_a_social_worker_records_vulnerability(client, role_users, household):
    client.force_login(role_users["social_worker"])

    client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, vulnerabilities=["elderly"]))

    household.refresh_from_db()
    assert household.vulnerabilities == ["elderly"]


# Merged records


def test_the_record_of_a_merged_household_sends_to_the_one_kept(client, role_users, household):
    old = HouseholdFactory(phone="+34611999888", merged_into=household)
    client.force_login(role_users["intake_operator"])

    response = client.get(reverse("household_detail", args=[old.pk]), follow=True)

    assert response.redirect_chain == [(reverse("household_detail", args=[household.pk]), 302)]
    assert f"Household {old.pk} ({old.full_name}) was merged into this record." in response.content.decode()


def test_the_record_page_shows_the_timeline(client, role_users, household):
    aid_request_register(actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"])
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[household.pk])).content.decode()

    assert "Request received by Phone" in page
    assert "Requester told: Request received" in page


# Delivery preferences: the hours orders are planned in, and keeping the same driver


def test_the_edit_page_offers_preferred_hours_and_keeping_the_same_driver(client, role_users, household):
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("household_edit", args=[household.pk])).content.decode()

    for name in ("preferred_from", "preferred_until", "same_driver"):
        assert f'name="{name}"' in page
    assert "Keep the same driver" in page


def test_preferred_hours_are_saved(client, role_users, household):
    client.force_login(role_users["social_worker"])

    response = client.post(
        reverse("household_edit", args=[household.pk]),
        _edit_data(household, preferred_from="16:00", preferred_until="19:30"),
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.preferred_from, household.preferred_until) == (dt.time(16, 0), dt.time(19, 30))


@pytest.mark.parametrize(("start", "end"), [("14:00", "10:00"), ("12:00", "12:00")])
def test_preferred_hours_that_do_not_end_after_they_start_are_refused(client, role_users, household, start, end):
    client.force_login(role_users["social_worker"])

    response = client.post(
        reverse("household_edit", args=[household.pk]), _edit_data(household, preferred_from=start, preferred_until=end)
    )

    assert response.status_code == 200
    assert "“Deliver until” must be later than “deliver from”." in response.content.decode()
    household.refresh_from_db()
    assert (household.preferred_from, household.preferred_until) == (None, None)


def test_keeping_the_same_driver_is_saved(client, role_users, household):
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("household_edit", args=[household.pk]), _edit_data(household, same_driver="on"))

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.same_driver is True
