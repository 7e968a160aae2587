"""The change history of a household, for managers: who changed which field, from what to what.

Here through the HTTP client (pages, API, admin); the services are tested in test_audit_services.py."""

import datetime as dt

import pytest
from django.urls import reverse

from requests_intake.duplicates import household_merge
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.audit import audit_household  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("social_worker", 403),
        ("intake_operator", 403),
        ("driver", 403),
        ("logistics_planner", 403),
        ("supplier_coordinator", 403),
    ],
)
def test_only_managers_open_the_history(client, role_users, household, role, expected):
    client.force_login(role_users[role])

    assert client.get(reverse("household_audit", args=[household.pk])).status_code == expected


def test_the_history_says_who_changed_which_field_from_what_to_what(client, role_users, household):
    client.force_login(role_users["intake_operator"])
    edit = client.get(reverse("household_edit", args=[household.pk])).context["form"]
    data = {name: value for name, value in edit.initial.items() if name in edit.fields and value is not None}
    data.update(phone="611 22 23 33", email="rosa@example.org")
    assert client.post(reverse("household_edit", args=[household.pk]), _as_post(data)).status_code == 302
    client.force_login(role_users["manager"])

    page = client.get(reverse("household_audit", args=[household.pk])).content.decode()

    assert "intake_operator" in page
    assert "Record edited" in page
    assert "Phone: <del>+34611000111</del> → <ins>+34611222333</ins>" in page
    assert "E-mail: <del>—</del> → <ins>rosa@example.org</ins>" in page


def _as_post(data: dict) -> dict:
    post = {}
    for name, value in data.items():
        if isinstance(value, bool):
            if value:
                post[name] = "on"
        elif isinstance(value, dt.date):
            post[name] = value.isoformat()
        else:
            post[name] = value
    return {**post, "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0}


def test_a_merged_record_keeps_its_history_and_the_kept_one_points_to_it(client, role_users, household):
    duplicate = HouseholdFactory(phone="+34611999888")
    household_merge(actor=role_users["social_worker"], keep=household, duplicate=duplicate)
    client.force_login(role_users["manager"])

    kept_page = client.get(reverse("household_audit", args=[household.pk])).content.decode()
    merged = client.get(reverse("household_audit", args=[duplicate.pk]))

    assert reverse("household_audit", args=[duplicate.pk]) in kept_page
    assert f"Merged from household {duplicate.pk}" in kept_page
    assert merged.status_code == 200
    assert f"This record was merged into household {household.pk}." in merged.content.decode()
    assert f"Merged into household {household.pk}" in merged.content.decode()
