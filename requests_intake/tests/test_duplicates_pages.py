"""Possible duplicates by document, phone, or name and address; merging one record into another.

Here through the HTTP client (pages, API, admin); the services are tested in test_duplicates_services.py."""

import pytest
from django.urls import reverse

from logistics.models import DeliveryOrder
from requests_intake.duplicates import household_merge
from requests_intake.tests.helpers.duplicates import _other

pytestmark = pytest.mark.django_db


def test_the_record_lists_possible_duplicates_with_a_merge_link_for_social_workers(client, role_users, pair):
    keep, duplicate, _order = pair
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("household_detail", args=[keep.pk])).content.decode()

    assert "Possible duplicates" in page
    assert "<td>same phone</td>" in page
    assert reverse("household_merge", args=[keep.pk, duplicate.pk]) in page


def test_an_intake_operator_sees_possible_duplicates_but_no_merge_link(client, role_users, pair):
    keep, duplicate, _order = pair
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("household_detail", args=[keep.pk])).content.decode()

    assert "Possible duplicates" in page
    assert reverse("household_merge", args=[keep.pk, duplicate.pk]) not in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("social_worker", 200),
        ("intake_operator", 403),
        ("manager", 403),
        ("driver", 403),
        ("logistics_planner", 403),
        ("supplier_coordinator", 403),
    ],
)
def test_only_social_workers_open_the_merge_page(client, role_users, pair, role, expected):
    keep, duplicate, _order = pair
    client.force_login(role_users[role])

    assert client.get(reverse("household_merge", args=[keep.pk, duplicate.pk])).status_code == expected


def test_merging_from_the_page_keeps_the_chosen_record(client, role_users, pair):
    keep, duplicate, order = pair
    client.force_login(role_users["social_worker"])

    response = client.post(
        reverse("household_merge", args=[keep.pk, duplicate.pk]), {"keep": duplicate.pk}, follow=True
    )

    assert response.redirect_chain == [(reverse("household_detail", args=[duplicate.pk]), 302)]
    assert f"Household {keep.pk} was merged into this record." in response.content.decode()
    keep.refresh_from_db()
    assert keep.merged_into == duplicate


def test_an_intake_operator_cannot_merge_by_posting(client, role_users, pair):
    keep, duplicate, _order = pair
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("household_merge", args=[keep.pk, duplicate.pk]), {"keep": keep.pk})

    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_the_merge_page_sends_a_merged_record_to_the_one_kept(client, role_users, pair):
    keep, duplicate, _order = pair
    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)
    third = _other()
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("household_merge", args=[third.pk, duplicate.pk]), {"keep": third.pk})

    assert response.url == reverse("household_detail", args=[keep.pk])
    third.refresh_from_db()
    assert third.requests.count() == 0
    assert DeliveryOrder.objects.filter(household=third).count() == 0
