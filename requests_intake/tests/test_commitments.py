"""What a household already has is shown at intake and assessment, and a second delivery the same day is refused
unless confirmed (issue 22, item 2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan, AidRequest
from requests_intake.selectors import household_deliveries_on
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly(role_users):
    """A household with a weekly plan whose first order is due; and a second request waiting for assessment."""
    household = HouseholdFactory()
    order, _item, _warehouse = approved_order(role_users, household=household)
    AidPlan.objects.filter(pk=order.plan_id).update(repeat_every_days=7, first_delivery_on=order.due_date)
    second = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"]
    )
    pack = order.lines.get().pack
    return {"household": household, "order": order, "second": second, "pack": pack}


def test_a_weekly_plan_delivers_on_its_first_day_and_every_seventh_day_after(weekly):
    day = weekly["order"].due_date

    assert household_deliveries_on(weekly["household"], day) == [weekly["order"].plan.request.reference]
    assert household_deliveries_on(weekly["household"], day + dt.timedelta(days=14)) == [
        weekly["order"].plan.request.reference
    ]
    assert household_deliveries_on(weekly["household"], day + dt.timedelta(days=3)) == []


def test_approving_a_second_delivery_on_the_households_delivery_day_is_refused(role_users, weekly):
    with pytest.raises(ValidationError) as refused:
        aid_request_approve(
            actor=role_users["social_worker"],
            request=weekly["second"],
            packs=[(weekly["pack"], 1)],
            priority=1,
            first_delivery_on=weekly["order"].due_date + dt.timedelta(days=7),
        )

    assert refused.value.error_dict["first_delivery_on"][0].code == "same_day_delivery"
    weekly["second"].refresh_from_db()
    assert weekly["second"].status == AidRequest.Status.IN_ASSESSMENT
    assert AidPlan.objects.filter(request__household=weekly["household"]).count() == 1


def test_a_confirmed_second_delivery_on_the_same_day_is_approved(role_users, weekly):
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=weekly["second"],
        packs=[(weekly["pack"], 1)],
        priority=1,
        first_delivery_on=weekly["order"].due_date,
        same_day_confirmed=True,
    )

    assert plan.request == weekly["second"]
    assert AidPlan.objects.filter(request__household=weekly["household"]).count() == 2


def test_another_day_is_approved_without_confirming(role_users, weekly):
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=weekly["second"],
        packs=[(weekly["pack"], 1)],
        priority=1,
        first_delivery_on=weekly["order"].due_date + dt.timedelta(days=2),
    )

    assert plan.first_delivery_on == weekly["order"].due_date + dt.timedelta(days=2)


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
