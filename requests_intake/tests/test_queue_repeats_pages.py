"""The assessment queue flags a request when another open request of the same household asks the same, with a
link to it; the rule itself is tested in test_queue_repeats_services.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(role_users):
    zone = ZoneFactory()
    zone.social_workers.add(role_users["social_worker"])
    return zone


def _ask(role_users, household, needs=("food",)):
    return aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=list(needs)
    )


def _queue(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("assessment_queue"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_of_two_identical_requests_links_to_the_other(client, role_users, mine):
    household = HouseholdFactory(zone=mine)
    first, second = _ask(role_users, household), _ask(role_users, household)

    page = _queue(client, role_users["social_worker"])

    assert f'Same as <a href="{reverse("assessment", args=[second.pk])}">{second.reference}</a>' in page
    assert f'Same as <a href="{reverse("assessment", args=[first.pk])}">{first.reference}</a>' in page


def test_requests_asking_different_things_are_not_flagged(client, role_users, mine):
    household = HouseholdFactory(zone=mine)
    _ask(role_users, household, ["food"])
    _ask(role_users, household, ["hygiene"])

    assert "Same as" not in _queue(client, role_users["social_worker"])


def test_a_manager_who_does_not_decide_is_sent_to_the_household_record(client, role_users, mine):
    household = HouseholdFactory(zone=mine)
    _ask(role_users, household)
    second = _ask(role_users, household)

    page = _queue(client, role_users["manager"])

    assert f'Same as <a href="{reverse("household_detail", args=[household.pk])}">{second.reference}</a>' in page


def test_the_flags_cost_one_query_whatever_the_page_holds(client, role_users, mine):
    client.force_login(role_users["social_worker"])
    household = HouseholdFactory(zone=mine)
    _ask(role_users, household)
    _ask(role_users, household)
    client.get(reverse("assessment_queue"))  # warm the session and the permission cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assessment_queue"))
    for _ in range(3):
        other = HouseholdFactory(zone=mine)
        _ask(role_users, other)
        _ask(role_users, other)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("assessment_queue")).content.decode()

    assert page.count("Same as") == 8
    assert len(many.captured_queries) == len(few.captured_queries)
