"""For the decision-survey tests: a request answered at intake."""

from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory


def _answered_at_intake(role_users, household=None) -> AidRequest:
    return aid_request_register(
        actor=role_users["intake_operator"],
        household=household or HouseholdFactory(language="en"),
        channel="phone",
        needs=["other"],
        answer="Pida cita para el padrón",
        topic="padron",
    )
