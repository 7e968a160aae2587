"""GET /api/v1/packs/: the catalogue's packs with their ids, which an approval names (requests/{id}/approve/)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, SOCIAL_WORKER, SUPPLIER_COORDINATOR
from inventory.tests.factories import ItemFactory, PackFactory, pack_with

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_social_worker_finds_a_pack_by_its_code_with_its_components(role_users):
    rice, oil = ItemFactory(), ItemFactory()
    wanted = pack_with({rice: 2, oil: 1}, code="familiar", size="large")
    pack_with({rice: 1}, code="individual")

    answer = client_for(role_users[SOCIAL_WORKER]).get("/api/v1/packs/", {"code": "familiar"})

    assert answer.status_code == 200
    [row] = answer.json()["results"]
    assert (row["id"], row["code"], row["size"]) == (wanted.pk, "familiar", "large")
    assert sorted((c["item"], c["quantity"]) for c in row["components"]) == sorted([(rice.pk, 2), (oil.pk, 1)])


def test_one_pack_is_read_by_its_id_and_a_missing_one_is_a_404(role_users):
    pack = PackFactory()
    client = client_for(role_users[SUPPLIER_COORDINATOR])

    assert client.get(f"/api/v1/packs/{pack.pk}/").json()["code"] == pack.code
    assert client_for(role_users[LOGISTICS_PLANNER]).get(f"/api/v1/packs/{pack.pk}/").status_code == 200
    missing = client.get("/api/v1/packs/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_a_size_that_is_no_size_is_a_400_naming_the_parameter(role_users):
    answer = client_for(role_users[SOCIAL_WORKER]).get("/api/v1/packs/", {"size": "enormous"})

    assert answer.status_code == 400
    assert list(answer.json()["error"]["fields"]) == ["size"]


@pytest.mark.parametrize("role", [DRIVER, INTAKE_OPERATOR])
def test_a_role_that_may_not_export_the_packs_may_not_list_them_either(role_users, role):
    PackFactory()

    answer = client_for(role_users[role]).get("/api/v1/packs/")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "permission_denied"
