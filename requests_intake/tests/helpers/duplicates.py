"""A second household that differs from Carmen unless told otherwise, for the duplicates tests and conftest."""

from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory


def _other(**fields) -> Household:
    defaults = {"given_name": "Otro", "family_name": "Nombre", "phone": "+34611999888", "address": "Plaza Mayor 1"}
    return HouseholdFactory(**{**defaults, **fields})
