"""The manager's first-level figures: the share of requests answered and closed at intake, and by topic."""

import datetime as dt

import pytest

from reports.first_level import first_level_figures
from reports.metrics import Period
from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _request(role_users, *, answer="", topic="", received_at=DAY) -> AidRequest:
    return aid_request_register(
        actor=role_users["intake_operator"],
        household=HouseholdFactory(),
        channel="phone",
        needs=["other"],
        received_at=received_at,
        answer=answer,
        topic=topic,
    )


def test_the_share_closed_at_intake_and_its_topics_are_counted(role_users):
    _request(role_users, answer="Pida cita", topic="padron")
    _request(role_users, answer="Llame a la eléctrica", topic="bono_social")
    _request(role_users, answer="Otra cita", topic="padron")
    _request(role_users)  # sent to assessment
    _request(role_users, answer="Fuera del periodo", topic="other", received_at=DAY - dt.timedelta(days=40))
    closed_before_topics = _request(role_users, answer="Sin código", topic="other")
    AidRequest.objects.filter(pk=closed_before_topics.pk).update(first_level_topic="")

    figures = first_level_figures(period=Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))

    assert (figures.received, figures.closed, figures.closed_percent) == (5, 4, 80)
    assert figures.by_topic == (
        ("Municipal register (padrón)", 2),
        ("Bono social", 1),
        ("Vulnerability report", 0),
        ("Information on aid", 0),
        ("Other", 0),
        ("Not coded", 1),
    )


def test_a_period_without_requests_has_no_share(role_users):
    figures = first_level_figures(period=Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))

    assert (figures.received, figures.closed, figures.closed_percent) == (0, 0, None)
    assert [n for _label, n in figures.by_topic] == [0, 0, 0, 0, 0]
