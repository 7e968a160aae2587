"""The satisfaction survey after a decision that brought no delivery (rejected, referred, answered at intake): sent
the evening of the decision, once per request, at most once a month per household, answered on the same page."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.models import SatisfactionSurvey
from delivery.surveys import survey_send_after_decision, surveys_send_for_day
from requests_intake.models import AidRequest, Notification
from requests_intake.services import aid_request_register
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The public pages' hourly count lives in the cache, which outlives a test's database transaction.
    cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://reparto.example.org/"


def _answered_at_intake(role_users, household=None) -> AidRequest:
    return aid_request_register(
        actor=role_users["intake_operator"],
        household=household or HouseholdFactory(language="en"),
        channel="phone",
        needs=["other"],
        answer="Pida cita para el padrón",
        topic="padron",
    )


def test_a_request_answered_at_intake_gets_a_survey_that_evening(role_users):
    request = _answered_at_intake(role_users)

    assert surveys_send_for_day(timezone.localdate()) == 1

    survey = SatisfactionSurvey.objects.get()
    assert (survey.request, survey.order) == (request, None)
    told = Notification.objects.get(request=request, event=Notification.Event.SURVEY)
    link = "https://reparto.example.org" + reverse("survey_answer", args=[survey.token])
    assert told.body.startswith(f"Request {request.reference}: how were you served? {link}")


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


def test_the_survey_after_a_decision_asks_no_delivery_questions_and_takes_the_answer(client, role_users):
    survey = survey_send_after_decision(request=_answered_at_intake(role_users))
    client.cookies["django_language"] = "en"

    page = client.get(reverse("survey_answer", args=[survey.token]))
    client.post(reverse("survey_answer", args=[survey.token]), {"score": "4", "comment": "Rápido"})

    assert page.context["after_decision"] is True
    assert "on_time" not in page.context["form"].fields
    survey.refresh_from_db()
    assert (survey.score, survey.on_time, survey.comment) == (4, None, "Rápido")
