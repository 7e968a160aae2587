"""The satisfaction survey after a decision that brought no delivery (rejected, referred, answered at intake): sent
the evening of the decision, once per request, at most once a month per household."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import SatisfactionSurvey
from delivery.surveys import survey_send_after_decision, surveys_send_for_day
from delivery.tests.decision_survey_world import _answered_at_intake
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The public pages' hourly count lives in the cache, which outlives a test's database transaction.
    cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://reparto.example.org/"


def test_a_decision_is_surveyed_once(role_users):
    _answered_at_intake(role_users)
    surveys_send_for_day(timezone.localdate())

    assert surveys_send_for_day(timezone.localdate()) == 0
    assert SatisfactionSurvey.objects.count() == 1


def test_a_household_is_asked_at_most_once_a_month(role_users):
    household = HouseholdFactory(language="en")
    first = _answered_at_intake(role_users, household)
    second = _answered_at_intake(role_users, household)

    assert survey_send_after_decision(request=first) is not None
    assert survey_send_after_decision(request=second) is None
    assert list(SatisfactionSurvey.objects.values_list("request", flat=True)) == [first.pk]


def test_a_request_still_in_assessment_is_not_surveyed(role_users):
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )

    with pytest.raises(ValidationError) as refused:
        survey_send_after_decision(request=request)

    assert refused.value.code == "not_decided"
    assert SatisfactionSurvey.objects.count() == 0
