"""First-response time per conversation turn, the figure: what opens a turn, what answers it, the period and zone."""

import datetime as dt

import pytest
from django.utils import timezone

from core.tests.factories import UserFactory
from reports.conversations import response_figures
from reports.metrics import Period
from requests_intake.models import AidRequest, KeywordAction, RequestMessage
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def worker():
    return UserFactory(username="marta")


@pytest.fixture
def request_(db):
    household = HouseholdFactory(zone=ZoneFactory(name="Barrio Peral"))
    return AidRequest.objects.create(household=household, channel="whatsapp", received_at=_at(DAY, 8))


def _message(request, at: dt.datetime, *, inbound: bool = True, author=None, action: str = "") -> RequestMessage:
    message = RequestMessage.objects.create(
        request=request,
        direction="in" if inbound else "out",
        channel="whatsapp",
        body="…",
        author=author,
        action=action,
    )
    RequestMessage.objects.filter(pk=message.pk).update(created_at=at)  # created_at is set on insert
    return message


def test_a_question_answered_half_an_hour_later_is_one_turn_of_thirty_minutes(request_, worker):
    _message(request_, _at(DAY, 9))
    _message(request_, _at(DAY, 9, 30), inbound=False, author=worker)

    figures = response_figures(period=MARCH)

    assert (figures.turns, figures.answered, figures.median_minutes, figures.within_hour) == (1, 1, 30, 1)
    assert figures.within_hour_percent == 100


def test_a_turn_is_timed_from_the_first_of_several_unanswered_messages(request_, worker):
    _message(request_, _at(DAY, 9))
    _message(request_, _at(DAY, 9, 40))
    _message(request_, _at(DAY, 11), inbound=False, author=worker)
    _message(request_, _at(DAY, 12))

    figures = response_figures(period=MARCH)

    assert (figures.turns, figures.answered, figures.unanswered, figures.median_minutes) == (2, 1, 1, 120)
    assert (figures.within_hour, figures.within_hour_percent) == (0, 0)


def test_an_automatic_notification_is_no_answer(request_, worker):
    _message(request_, _at(DAY, 9))
    _message(request_, _at(DAY, 9, 1), inbound=False, author=None)

    figures = response_figures(period=MARCH)

    assert (figures.turns, figures.answered, figures.median_minutes) == (1, 0, None)


def test_a_keyword_that_acted_by_itself_opens_no_turn_and_one_that_needs_a_call_does(request_):
    _message(request_, _at(DAY, 9), action=KeywordAction.CONFIRMED)
    _message(request_, _at(DAY, 10), action=KeywordAction.OPTED_OUT)
    assert response_figures(period=MARCH).turns == 0

    _message(request_, _at(DAY, 11), action=KeywordAction.MOVE_ASKED)

    assert response_figures(period=MARCH).turns == 1


def test_a_turn_opened_in_the_period_counts_its_answer_after_it_and_one_before_it_is_left_out(request_, worker):
    _message(request_, _at(dt.date(2026, 2, 28), 20))
    _message(request_, _at(dt.date(2026, 3, 31), 23))
    _message(request_, _at(dt.date(2026, 4, 1), 0, 30), inbound=False, author=worker)

    figures = response_figures(period=MARCH)

    assert (figures.turns, figures.answered, figures.median_minutes) == (1, 1, 90)


def test_the_zone_narrows_to_its_households(request_, worker):
    _message(request_, _at(DAY, 9))
    elsewhere = AidRequest.objects.create(
        household=HouseholdFactory(zone=ZoneFactory(name="Los Dolores")), channel="sms", received_at=_at(DAY, 8)
    )
    _message(elsewhere, _at(DAY, 9))
    _message(elsewhere, _at(DAY, 9, 5), inbound=False, author=worker)

    mine = response_figures(period=MARCH, zone=request_.household.zone)

    assert (mine.turns, mine.answered) == (1, 0)
    assert (response_figures(period=MARCH).turns, response_figures(period=MARCH).answered) == (2, 1)


def test_with_nothing_written_there_is_no_median_and_no_share(db):
    figures = response_figures(period=MARCH)

    assert (figures.turns, figures.median_minutes, figures.within_hour_percent) == (0, None, None)
