"""What a household already has is shown at intake and assessment, and a second delivery the same day is refused
unless confirmed (issue 22, item 2).

Here through the HTTP client (pages, API, admin); the services are tested in test_commitments_services.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register

pytestmark = pytest.mark.django_db


def test_assessment_shows_the_open_request_the_plan_and_the_next_delivery(client, role_users, weekly):
    other = aid_request_register(
        actor=role_users["intake_operator"], household=weekly["household"], channel="phone", needs=["hygiene"]
    )
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment", args=[weekly["second"].pk]))

    commitments = page.context["commitments"]
    assert commitments["open_requests"] == [other]
    assert [p.pk for p in commitments["active_plans"]] == [weekly["order"].plan_id]
    assert commitments["next_delivery"] == weekly["order"]
    assert "Already in place for this household" in page.content.decode()


def test_the_assessment_form_refuses_the_same_day_and_offers_to_confirm(client, role_users, weekly):
    client.force_login(role_users["social_worker"])
    pack = weekly["pack"]
    data = {
        "approve": "1",
        "priority": 1,
        "first_delivery_on": weekly["order"].due_date.isoformat(),
        f"pack_{pack.pk}": 1,
        f"every_{pack.pk}": 1,
    }

    refused = client.post(reverse("assessment", args=[weekly["second"].pk]), data)

    assert refused.status_code == 200
    assert 'name="same_day_confirmed"' in refused.content.decode()
    assert AidPlan.objects.filter(request__household=weekly["household"]).count() == 1
    approved = client.post(reverse("assessment", args=[weekly["second"].pk]), {**data, "same_day_confirmed": "on"})
    assert approved.status_code == 302
    assert AidPlan.objects.filter(request__household=weekly["household"]).count() == 2


def test_intake_shows_the_plan_delivering_and_the_next_delivery(client, role_users, weekly):
    client.force_login(role_users["intake_operator"])

    page = client.get(reverse("request_new", args=[weekly["household"].pk]))

    assert page.context["commitments"]["next_delivery"] == weekly["order"]
    assert [p.pk for p in page.context["commitments"]["active_plans"]] == [weekly["order"].plan_id]
    assert timezone.localdate() <= weekly["order"].due_date
