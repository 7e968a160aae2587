"""The survey page after a decision that brought no delivery: it asks no delivery questions and takes the answer."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from delivery.models import SatisfactionSurvey
from delivery.surveys import survey_send_after_decision, surveys_send_for_day
from delivery.tests.decision_survey_world import _answered_at_intake
from requests_intake.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The public pages' hourly count lives in the cache, which outlives a test's database transaction.
    cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://reparto.example.org/"


def test_a_request_answered_at_intake_gets_a_survey_that_evening(role_users):
    request = _answered_at_intake(role_users)

    assert surveys_send_for_day(timezone.localdate()) == 1

    survey = SatisfactionSurvey.objects.get()
    assert (survey.request, survey.order) == (request, None)
    told = Notification.objects.get(request=request, event=Notification.Event.SURVEY)
    link = "https://reparto.example.org" + reverse("survey_answer", args=[survey.token])
    assert told.body.startswith(f"Request {request.reference}: how were you served? {link}")


def test_the_survey_after_a_decision_asks_no_delivery_questions_and_takes_the_answer(client, role_users):
    survey = survey_send_after_decision(request=_answered_at_intake(role_users))
    client.cookies["django_language"] = "en"

    page = client.get(reverse("survey_answer", args=[survey.token]))
    client.post(reverse("survey_answer", args=[survey.token]), {"score": "4", "comment": "Rápido"})

    assert page.context["after_decision"] is True
    assert "on_time" not in page.context["form"].fields
    survey.refresh_from_db()
    assert (survey.score, survey.on_time, survey.comment) == (4, None, "Rápido")
