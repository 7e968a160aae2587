"""What a household already has is shown at intake and assessment, and a second delivery the same day is refused
unless confirmed (issue 22, item 2).

Here the services, models and commands, called directly; the pages are tested in test_commitments_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan, AidRequest
from requests_intake.selectors import household_deliveries_on

pytestmark = pytest.mark.django_db


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
