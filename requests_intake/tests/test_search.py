"""The intake search finds a household however the caller spells or reads out the details."""

import pytest

from requests_intake.selectors import households_search
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def households():
    return {
        "garcia": HouseholdFactory(
            given_name="Ángela",
            family_name="García Muñoz",
            phone="+34968123456",
            document_type="dni",
            document_number="12345678Z",
            address="Calle del Almendro 3",
        ),
        "perez": HouseholdFactory(
            given_name="Iván", family_name="Pérez", phone="+34611222333", address="Plaza Mayor 1"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("garcia", ["garcia"]),
        ("GARCÍA muñoz", ["garcia"]),
        ("angela", ["garcia"]),
        ("968 12 34 56", ["garcia"]),
        ("611222333", ["perez"]),
        ("12345678z", ["garcia"]),
        ("almendro", ["garcia"]),
        ("plaza mayor", ["perez"]),
        ("nadie", []),
    ],
)
def test_search_ignores_case_accents_and_spacing(households, query, expected):
    assert list(households_search(query)) == [households[key] for key in expected]


def test_editing_a_household_keeps_it_findable_by_its_new_name(households):
    household = households["perez"]
    household.family_name = "Pérez Ñíguez"
    household.save(update_fields=["family_name"])

    assert list(households_search("niguez")) == [household]
