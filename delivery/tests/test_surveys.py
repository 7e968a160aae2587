"""The satisfaction survey: sent once after a hand-over, answered once on a public page that shows nothing personal."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.tests.factories import tomorrow
from delivery.models import SatisfactionSurvey, Stop
from delivery.services import stop_mark_delivered
from delivery.surveys import survey_answer, survey_send, surveys_send_for_day
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
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


def _delivered_orders(role_users, *households: dict) -> list[DeliveryOrder]:
    """One order per household (English-speaking unless told), planned in one run and delivered at the door."""
    orders = [
        approved_order(role_users, household=HouseholdFactory(**{"language": "en", **household}))[0]
        for household in households
    ]
    VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    for order in orders:
        stop_mark_delivered(actor=role_users["driver"], stop=Stop.objects.get(order=order))
        order.refresh_from_db()
    return orders


def _delivered_order(role_users, **household) -> DeliveryOrder:
    return _delivered_orders(role_users, household)[0]


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


@pytest.fixture
def survey(role_users) -> SatisfactionSurvey:
    return survey_send(order=_delivered_order(role_users, family_name="Zapata Ruiz", address="Calle Mayor 7"))


def _url(survey: SatisfactionSurvey) -> str:
    return reverse("survey_answer", kwargs={"token": survey.token})


def _day_text(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _unchanged(survey: SatisfactionSurvey) -> tuple:
    survey.refresh_from_db()
    return survey.answered_at, survey.score, survey.on_time, survey.comment


# Sending


def test_a_delivered_order_gets_a_survey_whose_link_is_in_the_message(role_users):
    order = _delivered_order(role_users)

    survey = survey_send(order=order)

    assert len(survey.token) == 43
    message = Notification.objects.get(event=Notification.Event.SURVEY)
    assert (message.request, message.channel, message.recipient) == (order.plan.request, "sms", "+34968123456")
    link = f"https://reparto.example.org/encuesta/{survey.token}/"
    text, _blank, status_line = message.body.rpartition("\n\n")
    assert text == f"Delivery {order.plan.request.reference}: how did it go? {link}"
    assert "/estado/" in status_line


def test_a_survey_by_email_has_a_subject_and_the_link(role_users):
    order = _delivered_order(role_users, phone="", email="rosa@example.org")

    survey = survey_send(order=order)

    message = Notification.objects.get(event=Notification.Event.SURVEY)
    subject, _blank, body = message.body.partition("\n\n")
    assert (message.channel, message.recipient) == ("email", "rosa@example.org")
    assert subject == f"How did your delivery for {order.plan.request.reference} go?"
    assert f"https://reparto.example.org/encuesta/{survey.token}/" in body


def test_sending_twice_returns_the_first_survey_and_sends_nothing_more(role_users):
    order = _delivered_order(role_users)
    first = survey_send(order=order)

    again = survey_send(order=order)

    assert again == first
    assert SatisfactionSurvey.objects.count() == 1
    assert Notification.objects.filter(event=Notification.Event.SURVEY).count() == 1


def test_each_survey_gets_its_own_token(role_users):
    tokens = {survey_send(order=order).token for order in _delivered_orders(role_users, {}, {})}

    assert len(tokens) == 2


def test_an_order_not_yet_delivered_gets_no_survey(role_users):
    order, _item, _warehouse = approved_order(role_users)

    with pytest.raises(ValidationError) as refused:
        survey_send(order=order)

    assert refused.value.code == "not_delivered"
    assert SatisfactionSurvey.objects.count() == 0
    assert not Notification.objects.filter(event=Notification.Event.SURVEY).exists()


def test_a_household_with_no_phone_or_email_gets_no_survey(role_users):
    order = _delivered_order(role_users, phone="", email="")

    assert survey_send(order=order) is None
    assert SatisfactionSurvey.objects.count() == 0
    assert not Notification.objects.filter(event=Notification.Event.SURVEY).exists()


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


# The service, for callers other than the page


def test_the_service_refuses_a_score_out_of_range_and_saves_nothing(survey):
    with pytest.raises(ValidationError) as refused:
        survey_answer(survey=survey, score=0, on_time=True)

    assert [error.code for error in refused.value.error_dict["score"]] == ["invalid_score"]

    assert _unchanged(survey) == (None, None, None, "")


def test_the_service_needs_the_time_question_after_a_delivery_at_home(survey):
    with pytest.raises(ValidationError) as refused:
        survey_answer(survey=survey, score=4, on_time=None)

    assert [error.code for error in refused.value.error_dict["on_time"]] == ["on_time_missing"]

    assert _unchanged(survey) == (None, None, None, "")


def test_the_service_refuses_a_second_answer(survey):
    survey_answer(survey=survey, score=4, on_time=True, comment="Bien")

    with pytest.raises(ValidationError) as refused:
        survey_answer(survey=survey, score=1, on_time=False, comment="Mal")

    assert refused.value.code == "already_answered"
    assert _unchanged(survey)[1:] == (4, True, "Bien")


def _another_delivery_for(order: DeliveryOrder) -> DeliveryOrder:
    return DeliveryOrder.objects.create(
        plan=order.plan,
        household=order.household,
        warehouse=order.warehouse,
        due_date=order.due_date + dt.timedelta(days=7),
        status=DeliveryOrder.Status.DELIVERED,
    )


def test_a_household_is_asked_at_most_once_a_month(role_users):
    first = survey_send(order=_delivered_order(role_users))
    next_week = _another_delivery_for(first.order)

    assert survey_send(order=next_week) is None
    assert Notification.objects.filter(event=Notification.Event.SURVEY).count() == 1

    SatisfactionSurvey.objects.filter(pk=first.pk).update(sent_at=timezone.now() - dt.timedelta(days=31))
    assert survey_send(order=next_week) is not None
    assert Notification.objects.filter(event=Notification.Event.SURVEY).count() == 2


def test_the_evening_job_asks_each_household_served_that_day_once(role_users):
    orders = _delivered_orders(role_users, {}, {})
    day = tomorrow()  # the rounds of _delivered_orders run tomorrow

    assert surveys_send_for_day(day - dt.timedelta(days=1)) == 0
    assert surveys_send_for_day(day) == 2
    assert surveys_send_for_day(day) == 0  # a second run sends nothing more
    assert {s.order for s in SatisfactionSurvey.objects.all()} == set(orders)
