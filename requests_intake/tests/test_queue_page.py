"""The assessment queue page on a busy city: a page of requests at a time, the first plans to review with the
way to the rest, and the user's zones asked for once."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.factories import tomorrow
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(role_users):
    zone = ZoneFactory(code="casco", name="Casco Antiguo")
    zone.social_workers.add(role_users["social_worker"])
    return zone


def _requests(role_users, zone, priorities: list[int]) -> list:
    return [
        aid_request_register(
            actor=role_users["intake_operator"],
            household=HouseholdFactory(zone=zone),
            channel="phone",
            needs=["food"],
            priority=priority,
        )
        for priority in priorities
    ]


def _page(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("assessment_queue"), query)
    assert response.status_code == 200
    return response.content.decode()


def _references(page: str) -> list[str]:
    return re.findall(r'<td class="nowrap">(R-\d{4}-\d+)</td>', page)


def test_the_queue_shows_a_page_of_requests_most_urgent_first(client, role_users, mine, monkeypatch):
    monkeypatch.setattr("requests_intake.views.QUEUE_PER_PAGE", 2)
    normal, urgent, low = _requests(role_users, mine, [1, 0, 2])

    first = _page(client, role_users["social_worker"])
    second = _page(client, role_users["social_worker"], page="2")

    assert _references(first) == [urgent.reference, normal.reference]
    assert "Requests 1–2 of 3" in first
    assert 'href="?page=2" rel="next"' in first
    assert _references(second) == [low.reference]


def test_the_page_links_keep_the_zone_chosen(client, role_users, mine, monkeypatch):
    monkeypatch.setattr("requests_intake.views.QUEUE_PER_PAGE", 1)
    _requests(role_users, mine, [1, 1])

    page = _page(client, role_users["social_worker"], zone="casco")

    assert 'href="?zone=casco&amp;page=2" rel="next"' in page


def test_a_page_that_is_not_a_number_shows_the_first(client, role_users, mine, monkeypatch):
    monkeypatch.setattr("requests_intake.views.QUEUE_PER_PAGE", 1)
    urgent, _normal = _requests(role_users, mine, [0, 1])

    assert _references(_page(client, role_users["social_worker"], page="last")) == [urgent.reference]


def test_the_workload_links_each_zone_to_its_queue(client, role_users, mine):
    _requests(role_users, mine, [0, 1])

    page = _page(client, role_users["social_worker"])

    assert '<a href="?zone=casco">Casco Antiguo</a>' in page


def test_the_first_plans_to_review_are_shown_with_a_link_to_all_of_them(client, role_users, mine, monkeypatch):
    monkeypatch.setattr("requests_intake.views.PLANS_TO_REVIEW_SHOWN", 1)
    sooner = approved_plan(role_users, household=HouseholdFactory(zone=mine), valid_until=tomorrow())
    later = approved_plan(
        role_users, household=HouseholdFactory(zone=mine), valid_until=tomorrow() + dt.timedelta(days=5)
    )

    page = _page(client, role_users["social_worker"])

    assert sooner.request.reference in page
    assert later.request.reference not in page
    assert '<a href="?plans=all#plans-to-review">Show all 2 plans to review</a>' in page
    every = _page(client, role_users["social_worker"], plans="all")
    assert sooner.request.reference in every
    assert later.request.reference in every
    assert "Show all" not in every


def test_plans_to_review_that_all_fit_show_no_link(client, role_users, mine):
    plan = approved_plan(role_users, household=HouseholdFactory(zone=mine), valid_until=tomorrow())

    page = _page(client, role_users["social_worker"])

    assert plan.request.reference in page
    assert "Show all" not in page


def test_plans_to_review_of_other_zones_are_left_out(client, role_users, mine):
    elsewhere = approved_plan(role_users, household=HouseholdFactory(zone=ZoneFactory()), valid_until=tomorrow())

    page = _page(client, role_users["social_worker"])

    assert elsewhere.request.reference not in page


def test_the_users_zones_are_asked_for_once_a_page(client, role_users, mine):
    _requests(role_users, mine, [0, 1])
    approved_plan(role_users, household=HouseholdFactory(zone=mine), valid_until=tomorrow())
    client.force_login(role_users["social_worker"])

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("assessment_queue"))

    zone_lookups = [q["sql"] for q in queries.captured_queries if "zone_social_workers" in q["sql"]]
    assert len(zone_lookups) == 1


def test_a_driver_may_not_read_the_queue(client, role_users, mine):
    client.force_login(role_users["driver"])

    assert client.get(reverse("assessment_queue")).status_code == 403
