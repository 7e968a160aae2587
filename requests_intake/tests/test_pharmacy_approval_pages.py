"""Naming the pharmacy when approving medication on the assessment page, and reading it on the plan's page."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, PharmacyFactory
from tests.scenarios import stock_received

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication_request(role_users):
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["medication"]
    )


@pytest.fixture
def social_worker(client, role_users):
    client.force_login(role_users["social_worker"])
    return client


def _approval(pack, **fields) -> dict:
    return {
        "approve": "1",
        "priority": "1",
        "first_delivery_on": tomorrow().isoformat(),
        f"pack_{pack.pk}": "1",
        f"every_{pack.pk}": "1",
        "prescription_ref": "RX-2026-0001",
        **fields,
    }


def _pack(role_users):
    item = ItemFactory()
    stock_received(role_users, item, WarehouseFactory(), "L1", 20)
    return pack_with({item: 1})


def test_the_select_offers_the_active_pharmacies_by_name_and_street(social_worker, medication_request):
    PharmacyFactory(name="Farmacia del Carmen", address="Calle del Aljibe 14")
    PharmacyFactory(name="Farmacia Cerrada", active=False)

    page = social_worker.get(reverse("assessment", args=[medication_request.pk])).content.decode()

    assert "Farmacia del Carmen · Calle del Aljibe 14</option>" in page
    assert "Farmacia Cerrada" not in page
    assert "— choose the pharmacy —" in page


def test_approving_names_the_pharmacy_and_the_plan_page_shows_where_and_how_to_call(
    social_worker, role_users, medication_request
):
    pharmacy = PharmacyFactory(name="Farmacia del Carmen", address="Calle del Aljibe 14", phone="+34968501234")

    response = social_worker.post(
        reverse("assessment", args=[medication_request.pk]), _approval(_pack(role_users), pharmacy=pharmacy.pk)
    )

    assert response.status_code == 302
    plan = AidPlan.objects.get(request=medication_request)
    assert (plan.pharmacy, plan.prescription_ref) == (pharmacy, "RX-2026-0001")
    page = social_worker.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Farmacia del Carmen · RX-2026-0001" in page
    assert "Calle del Aljibe 14" in page
    assert '<a href="tel:+34968501234">+34968501234</a>' in page


def test_an_inactive_pharmacy_is_refused_and_nothing_is_approved(social_worker, role_users, medication_request):
    closed = PharmacyFactory(active=False)

    response = social_worker.post(
        reverse("assessment", args=[medication_request.pk]), _approval(_pack(role_users), pharmacy=closed.pk)
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["approve_form"].errors.as_data()["pharmacy"]] == ["invalid_choice"]
    assert not AidPlan.objects.exists()
