"""The household record links each request that has a plan to its plan page, for those who may open plans."""

import pytest
from django.db import connection
from django.urls import reverse

from requests_intake.decisions import aid_request_reject
from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def test_the_social_worker_reaches_the_plan_from_the_household_record(client, role_users, weekly):
    client.force_login(role_users["social_worker"])
    plan_url = reverse("plan_detail", args=[weekly["order"].plan_id])
    planned = AidRequest.objects.get(plan__pk=weekly["order"].plan_id)

    page = client.get(reverse("household_detail", args=[weekly["household"].pk])).content.decode()

    assert f'<a href="{plan_url}">{planned.reference}</a>' in page
    assert client.get(plan_url).status_code == 200


def test_a_request_without_a_plan_links_to_no_plan(client, role_users, weekly):
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("household_detail", args=[weekly["household"].pk])).content.decode()

    assert page.count('href="/plans/') == 1
    assert f'<a href="{reverse("assessment", args=[weekly["second"].pk])}">{weekly["second"].reference}</a>' in page


def _page(client, url: str) -> str:
    return client.get(url).content.decode()


def _queries(client, url: str) -> int:
    """The queries one page costs. Counted as they run: the test client's request_started signal empties the query
    log that CaptureQueriesContext reads, so it sees none of a page's queries once a request ran before it."""
    ran = []

    def count(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(ran)


@pytest.mark.parametrize("role", ["manager", "intake_operator"])
def test_a_role_that_cannot_open_plans_gets_no_plan_link(client, role_users, weekly, role):
    client.force_login(role_users[role])
    plan_url = reverse("plan_detail", args=[weekly["order"].plan_id])
    planned = AidRequest.objects.get(plan__pk=weekly["order"].plan_id)

    response = client.get(reverse("household_detail", args=[weekly["household"].pk]))

    assert response.status_code == 200
    assert planned.reference in response.content.decode()
    assert plan_url not in response.content.decode()
    assert client.get(plan_url).status_code == 403


def test_more_planned_requests_cost_no_more_queries(client, role_users, weekly):
    """The plan comes with its request in one join, not one query per row."""
    client.force_login(role_users["social_worker"])
    url = reverse("household_detail", args=[weekly["household"].pk])
    client.get(url)  # warm the session and the permission cache
    before = _queries(client, url)
    for _ in range(2):
        approved_order(role_users, household=weekly["household"], same_day_confirmed=True)
    closed = aid_request_register(
        actor=role_users["intake_operator"], household=weekly["household"], channel="phone", needs=["food"]
    )
    aid_request_reject(actor=role_users["social_worker"], request=closed, reason="Already helped by Cáritas")
    after = _queries(client, url)

    assert _page(client, url).count('href="/plans/') == 3
    assert after == before
