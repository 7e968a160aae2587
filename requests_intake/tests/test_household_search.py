"""A social worker finds the households of her zones from any page (issue 22, item 5)."""

import pytest
from django.urls import reverse

from core.roles import SOCIAL_WORKER
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    worker = role_users[SOCIAL_WORKER]
    worker.zones.add(mine)
    return {
        "user": worker,
        "mine": HouseholdFactory(zone=mine, family_name="Saura", given_name="Dolores"),
        "unplaced": HouseholdFactory(zone=None, family_name="Saura", given_name="Ana"),
        "other": HouseholdFactory(zone=other, family_name="Saura", given_name="Pilar"),
    }


def test_a_social_worker_finds_the_households_of_her_zones_and_the_unplaced_ones(client, worker):
    client.force_login(worker["user"])

    response = client.get(reverse("household_search"), {"q": "saura"})

    assert response.status_code == 200
    assert list(response.context["results"]) == [worker["unplaced"], worker["mine"]]


def test_a_household_of_another_zone_is_not_found(client, worker):
    client.force_login(worker["user"])

    response = client.get(reverse("household_search"), {"q": "pilar saura"})

    assert list(response.context["results"]) == []
    assert "No household of your zones matches." in response.content.decode()


def test_a_one_letter_search_is_refused_and_lists_nothing(client, worker):
    client.force_login(worker["user"])

    response = client.get(reverse("household_search"), {"q": "s"})

    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["search"].errors["q"][0].startswith("Ensure this value has at least 2 characters")


def test_every_page_offers_the_search_box_to_whoever_may_read_households(client, role_users, worker):
    client.force_login(worker["user"])
    box = f'action="{reverse("household_search")}"'

    assert box in client.get(reverse("assessment_queue")).content.decode()
    client.force_login(role_users["driver"])
    assert box not in client.get(reverse("driver_round")).content.decode()


def test_someone_who_may_not_read_households_is_refused_the_search(client, role_users):
    client.force_login(role_users["driver"])

    assert client.get(reverse("household_search"), {"q": "saura"}).status_code == 403
