"""The household to erase and what must not change when an erasure is refused, for the erasure tests."""

import datetime as dt

from requests_intake.models import DocumentType, Household
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

REASON = "Written request of the person, received 3 March"


def _household(**overrides) -> Household:
    return HouseholdFactory(
        **{
            "given_name": "Wenceslaa",
            "family_name": "Zubizarreta",
            "birth_date": dt.date(1950, 1, 2),
            "document_type": DocumentType.DNI,
            "document_number": "48291736Q",
            "phone": "+34968777001",
            "email": "wenceslaa@example.org",
            "address": "Calle Ficticia 77",
            "access_notes": "Timbre roto: llamar al movil",
            "vulnerabilities": ["elderly", "lives_alone"],
            "diets": ["halal"],
            # Every day, so that the order due tomorrow stays tomorrow whatever day the suite runs on.
            "preferred_days": [0, 1, 2, 3, 4, 5, 6],
            "zone": ZoneFactory(),
            "members": 3,
            **overrides,
        }
    )


def _unchanged(household: Household) -> tuple:
    household.refresh_from_db()
    return household.full_name, household.phone, Household.history.filter(id=household.pk).count()
