"""GET /api/v1/pharmacies/: the pharmacies with their opening spans and ids, which an approval names
(requests/{id}/approve/). Read-only: pharmacies are kept on their page."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, MANAGER, SOCIAL_WORKER
from requests_intake.models import Pharmacy
from requests_intake.tests.factories import PharmacyFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_social_worker_lists_the_active_pharmacies_with_their_hours(role_users):
    carmen = PharmacyFactory(name="Farmacia del Carmen", phone="+34968123456")
    PharmacyFactory(name="Farmacia cerrada", active=False)

    answer = client_for(role_users[SOCIAL_WORKER]).get("/api/v1/pharmacies/", {"active": "true"})

    assert answer.status_code == 200
    [row] = answer.json()["results"]
    assert (row["id"], row["name"], row["phone"], row["latitude"]) == (
        carmen.pk,
        "Farmacia del Carmen",
        "+34968123456",
        "37.603000",
    )
    assert row["hours"][:2] == [
        {"weekday": 0, "opens": "09:00:00", "closes": "14:00:00"},
        {"weekday": 0, "opens": "17:00:00", "closes": "20:30:00"},
    ]
    assert len(row["hours"]) == 11


def test_one_pharmacy_is_read_by_its_id_and_a_missing_one_is_a_404(role_users):
    pharmacy = PharmacyFactory()
    client = client_for(role_users[MANAGER])

    assert client.get(f"/api/v1/pharmacies/{pharmacy.pk}/").json()["name"] == pharmacy.name
    missing = client.get("/api/v1/pharmacies/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_the_list_cannot_add_a_pharmacy(role_users):
    answer = client_for(role_users[LOGISTICS_PLANNER]).post("/api/v1/pharmacies/", {"name": "Farmacia Nueva"})

    assert answer.status_code == 405
    assert not Pharmacy.objects.exists()


@pytest.mark.parametrize("role", [DRIVER, INTAKE_OPERATOR])
def test_a_role_that_neither_keeps_pharmacies_nor_approves_may_not_list_them(role_users, role):
    PharmacyFactory()

    answer = client_for(role_users[role]).get("/api/v1/pharmacies/")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "permission_denied"
