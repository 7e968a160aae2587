"""Each role reaches its own pages only; a driver never sees a household record or an assessment."""

import pytest
from django.urls import reverse

from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_request(role_users):
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )


def test_driver_cannot_open_a_household_record(client, role_users, a_request):
    client.force_login(role_users["driver"])

    assert client.get(reverse("household_detail", args=[a_request.household.pk])).status_code == 403


def test_driver_cannot_open_an_assessment_or_the_queue(client, role_users, a_request):
    client.force_login(role_users["driver"])

    assert client.get(reverse("assessment", args=[a_request.pk])).status_code == 403
    assert client.get(reverse("assessment_queue")).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, a_request):
    response = client.get(reverse("household_detail", args=[a_request.household.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "url_name", "expected"),
    [
        ("intake_operator", "intake", 200),
        ("intake_operator", "planning", 403),
        ("intake_operator", "assessment_queue", 403),
        ("social_worker", "assessment_queue", 200),
        ("social_worker", "planning", 403),
        ("social_worker", "stock", 403),
        ("logistics_planner", "planning", 200),
        ("logistics_planner", "orders", 200),
        ("logistics_planner", "intake", 403),
        ("driver", "driver_round", 200),
        ("driver", "planning", 403),
        ("driver", "stock", 403),
        ("driver", "orders", 403),
        ("supplier_coordinator", "stock", 200),
        ("supplier_coordinator", "intake", 403),
        ("manager", "planning", 200),
        ("manager", "stock", 200),
        ("manager", "driver_round", 403),
        ("manager", "home", 200),
    ],
)
def test_role_page_matrix(client, role_users, role, url_name, expected):
    client.force_login(role_users[role])

    assert client.get(reverse(url_name)).status_code == expected


def test_manager_may_look_at_plans_but_not_make_them(client, role_users):
    from routing.models import PlanningRun

    client.force_login(role_users["manager"])

    response = client.post(reverse("planning"), {"date": "2099-01-01"}, follow=True)

    assert "You may look at plans but not make them." in response.content.decode()
    assert PlanningRun.objects.count() == 0
