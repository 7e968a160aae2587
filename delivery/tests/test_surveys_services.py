"""The satisfaction survey, the services: sent once after a hand-over, answered once, asked at most once a month."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import SatisfactionSurvey
from delivery.surveys import survey_answer, survey_send, surveys_send_for_day
from delivery.tests.survey_world import _delivered_order, _delivered_orders, _unchanged
from logistics.models import DeliveryOrder
from requests_intake.models import Notification
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


def test_the_service_refuses_a_comment_over_the_limit(survey):
    with pytest.raises(ValidationError) as refused:
        survey_answer(survey=survey, score=4, on_time=True, comment="x" * 1001)

    assert [error.code for error in refused.value.error_dict["comment"]] == ["too_long"]
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
