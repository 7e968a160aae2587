"""Fixtures shared by the delivery app's services and pages tests."""

import pytest

from core.tests.factories import UserFactory
from delivery.concerns import concern_raise
from delivery.models import SatisfactionSurvey, Stop
from delivery.services import round_start, stop_mark_failed
from delivery.surveys import survey_send
from delivery.tests.concern_world import _in_zone
from delivery.tests.survey_world import _delivered_order
from requests_intake.models import DocumentType
from requests_intake.status_links import status_link_for
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_order, planned_stop

from .driver_world import round_with_two_stops


@pytest.fixture
def two_zones(role_users):
    """A concern in the social worker's zone and one in a zone she does not work."""
    mine, theirs = round_with_two_stops(role_users)
    _in_zone(mine, role_users["social_worker"])
    _in_zone(theirs, UserFactory(username="otra-trabajadora"))
    driver = role_users["driver"]
    return (
        concern_raise(actor=driver, stop=mine, text="En mi zona."),
        concern_raise(actor=driver, stop=theirs, text="En otra zona."),
    )


@pytest.fixture
def failed(role_users, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_FAILURE_UNDO_S = 300
    stop = planned_stop(role_users)
    round_start(actor=role_users["driver"], round_=stop.round)
    order = stop.order
    order.refresh_from_db()
    due, priority = order.due_date, order.priority
    with django_capture_on_commit_callbacks() as callbacks:
        stop_mark_failed(actor=role_users["driver"], stop=stop, reason=Stop.FailureReason.NOT_HOME)
    return {"stop": stop, "order": order, "due": due, "priority": priority, "callbacks": callbacks}


@pytest.fixture
def order(role_users):
    household = HouseholdFactory(
        given_name="Lucía",
        language="en",
        family_name="Quintanilla Ortuño",
        address="Calle de la Sierpe 17, 3º B",
        phone="+34611222333",
        document_type=DocumentType.DNI,
        document_number="12345678Z",
    )
    order, _item, _warehouse = approved_order(role_users, household=household)
    return order


@pytest.fixture
def link(order):
    return status_link_for(order.plan.request)


@pytest.fixture
def survey(role_users) -> SatisfactionSurvey:
    return survey_send(order=_delivered_order(role_users, family_name="Zapata Ruiz", address="Calle Mayor 7"))
