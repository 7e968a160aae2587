"""The satisfaction survey's public page: answered once, and it shows nothing personal."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.tests.factories import tomorrow
from delivery.models import SatisfactionSurvey
from delivery.surveys import survey_answer, survey_send
from delivery.tests.survey_world import _delivered_order, _delivered_orders, _unchanged
from logistics.models import DeliveryOrder
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The public pages' hourly count lives in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://reparto.example.org/"


def _collected_order(role_users) -> DeliveryOrder:
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(language="en"))
    DeliveryOrder.objects.filter(pk=order.pk).update(
        mode=DeliveryOrder.Mode.PICKUP,
        status=DeliveryOrder.Status.DELIVERED,
        collected_by="Ana",
        collected_at=timezone.now(),
    )
    order.refresh_from_db()
    return order


def _url(survey: SatisfactionSurvey) -> str:
    return reverse("survey_answer", kwargs={"token": survey.token})


def _day_text(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


# The public page


def test_anyone_opens_the_survey_and_sees_the_delivery_day_but_nothing_personal(client, survey):
    response = client.get(_url(survey))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tell us how your delivery went" in page
    assert f"handed over on {_day_text(tomorrow())}" in page
    for personal in ("Zapata Ruiz", "Carmen", "Calle Mayor 7", "+34968123456", survey.order.plan.request.reference):
        assert personal not in page
    assert 'name="score"' in page
    assert 'name="on_time"' in page
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "logistics_planner", "driver", "manager"])
def test_signed_in_staff_see_the_same_public_page(client, role_users, survey, role):
    client.force_login(role_users[role])

    assert client.get(_url(survey)).status_code == 200


def test_an_answer_is_recorded_and_thanked_for(client, survey):
    response = client.post(_url(survey), {"score": "4", "on_time": "no", "comment": "  Llegó tarde pero bien.  "})

    assert response.status_code == 302
    assert response.url == reverse("survey_thanks", kwargs={"token": survey.token})
    survey.refresh_from_db()
    assert (survey.score, survey.on_time, survey.comment) == (4, False, "Llegó tarde pero bien.")
    assert survey.answered_at is not None
    assert "Thank you for your answer" in client.get(response.url).content.decode()


def test_a_second_answer_is_refused_and_the_first_is_kept(client, survey):
    client.post(_url(survey), {"score": "5", "on_time": "yes", "comment": "Gracias"})
    first = _unchanged(survey)

    response = client.post(_url(survey), {"score": "1", "on_time": "no", "comment": "Cambio de opinión"})

    assert response.status_code == 409
    assert "This survey has already been answered" in response.content.decode()
    assert _unchanged(survey) == first
    assert first[1:] == (5, True, "Gracias")


def test_an_answered_survey_opens_as_already_answered(client, survey):
    survey_answer(survey=survey, score=3, on_time=True)

    response = client.get(_url(survey))

    assert response.status_code == 200
    assert "This survey has already been answered" in response.content.decode()
    assert 'name="score"' not in response.content.decode()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"score": "6", "on_time": "yes"}, "Select a valid choice. 6 is not one of the available choices."),
        ({"score": "0", "on_time": "yes"}, "Select a valid choice. 0 is not one of the available choices."),
        ({"score": "bueno", "on_time": "yes"}, "Select a valid choice."),
        ({"on_time": "yes"}, "Choose a score from 1 to 5."),
        ({"score": "3"}, "Answer yes or no."),
        ({"score": "3", "on_time": "maybe"}, "Select a valid choice."),
    ],
)
def test_a_bad_answer_is_shown_again_and_nothing_is_saved(client, survey, answers, message):
    before = _unchanged(survey)

    response = client.post(_url(survey), answers)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _unchanged(survey) == before == (None, None, None, "")


def test_a_comment_longer_than_1000_characters_is_refused(client, survey):
    response = client.post(_url(survey), {"score": "4", "on_time": "yes", "comment": "a" * 1001})

    assert response.status_code == 200
    assert "Ensure this value has at most 1000 characters (it has 1001)." in response.content.decode()
    assert _unchanged(survey) == (None, None, None, "")


def test_a_comment_of_exactly_1000_characters_is_kept(client, survey):
    response = client.post(_url(survey), {"score": "4", "on_time": "yes", "comment": "a" * 1000})

    assert response.status_code == 302
    assert len(_unchanged(survey)[3]) == 1000


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_token_is_not_found(client, survey, method):
    for token in ("x" * 43, survey.token[:-1]):
        url = reverse("survey_answer", kwargs={"token": token})
        assert getattr(client, method)(url, {"score": "5", "on_time": "yes"}).status_code == 404
    assert client.get(reverse("survey_thanks", kwargs={"token": "x" * 43})).status_code == 404
    assert _unchanged(survey) == (None, None, None, "")


def test_the_thanks_page_of_an_unanswered_survey_goes_back_to_the_questions(client, survey):
    response = client.get(reverse("survey_thanks", kwargs={"token": survey.token}))

    assert response.status_code == 302
    assert response.url == _url(survey)


def test_answers_from_one_address_are_limited_per_hour(client, role_users, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    first, second = (survey_send(order=order) for order in _delivered_orders(role_users, {}, {}))
    assert client.post(_url(first), {"score": "5", "on_time": "yes"}).status_code == 302

    response = client.post(_url(second), {"score": "2", "on_time": "no"})

    assert response.status_code == 429
    assert "Nothing was saved" in response.content.decode()
    assert _unchanged(second) == (None, None, None, "")


def test_the_limit_is_shared_with_the_public_request_form(client, survey, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    client.post(reverse("webform_request"), {"website": "", "consent": "on"})  # an invalid form is not counted
    client.post(reverse("webform_request"), {"website": "I am a robot"})  # counted, like a real one

    response = client.post(_url(survey), {"score": "5", "on_time": "yes"})

    assert response.status_code == 429
    assert _unchanged(survey) == (None, None, None, "")


def test_the_page_speaks_the_requesters_language(client, role_users):
    survey = survey_send(order=_delivered_order(role_users, language="es"))

    response = client.get(_url(survey))

    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in response.content.decode()


def test_a_requester_writing_in_arabic_sees_the_page_in_the_sites_language(client, role_users, settings):
    settings.LANGUAGE_CODE = "es"
    survey = survey_send(order=_delivered_order(role_users, language="ar"))

    response = client.get(_url(survey))

    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in response.content.decode()


def test_a_language_the_visitor_picked_wins_over_the_requesters(client, role_users, settings):
    survey = survey_send(order=_delivered_order(role_users, language="es"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(_url(survey))

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_a_collection_at_the_depot_is_not_asked_about_the_time_window(client, role_users):
    survey = survey_send(order=_collected_order(role_users))

    page = client.get(_url(survey)).content.decode()
    response = client.post(_url(survey), {"score": "5", "on_time": "no"})

    assert 'name="on_time"' not in page
    assert f"handed over on {_day_text(timezone.localdate())}" in page
    assert response.status_code == 302
    assert _unchanged(survey)[1:] == (5, None, "")
