"""Wrong input gets a message a person understands, and nothing is saved."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.models import Reservation
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, Vehicle
from logistics.tests.factories import VehicleFactory
from requests_intake.models import AidPlan, AidRequest, Household
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from tests.test_slice_end_to_end import HOUSEHOLD_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_request(role_users):
    WarehouseFactory()
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )


def test_approval_without_packs_is_refused_and_saves_nothing(client, role_users, waiting_request):
    pack = pack_with({ItemFactory(): 1})
    client.force_login(role_users["social_worker"])

    response = client.post(
        reverse("assessment", args=[waiting_request.pk]),
        {
            "approve": "1",
            f"pack_{pack.pk}": "0",
            "priority": "1",
            "first_delivery_on": tomorrow().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "An approval needs at least one pack; nothing was saved." in response.content.decode()
    waiting_request.refresh_from_db()
    assert waiting_request.status == AidRequest.Status.IN_ASSESSMENT
    assert waiting_request.decided_by is None
    assert (AidPlan.objects.count(), DeliveryOrder.objects.count(), Reservation.objects.count()) == (0, 0, 0)


def test_rejection_without_a_reason_is_refused(client, role_users, waiting_request):
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("assessment", args=[waiting_request.pk]), {"reject": "1", "reason": "  "})

    assert response.status_code == 200
    waiting_request.refresh_from_db()
    assert (waiting_request.status, waiting_request.rejection_reason) == (AidRequest.Status.IN_ASSESSMENT, "")


def test_planning_with_no_vehicles_is_refused_with_a_reason(client, role_users):
    VehicleFactory(is_available=False)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning"), {"date": tomorrow().isoformat()})

    assert response.status_code == 200
    assert "No vans are available" in response.content.decode()
    assert PlanningRun.objects.count() == 0
    assert Vehicle.objects.filter(is_available=True).count() == 0


def test_planning_a_day_in_the_past_is_refused(client, role_users):
    import datetime as dt

    VehicleFactory()
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning"), {"date": (tomorrow() - dt.timedelta(days=2)).isoformat()})

    assert "is in the past" in response.content.decode()
    assert PlanningRun.objects.count() == 0


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("12345678A", "The DNI letter of “12345678A” is wrong"),
        ("12345678", "A DNI has 8 digits and a letter"),
    ],
)
def test_household_with_an_invalid_dni_is_refused_and_not_saved(client, role_users, document, message):
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("intake"), {**HOUSEHOLD_FORM, "document_number": document})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Household.objects.count() == 0


def test_household_with_an_impossible_phone_is_refused(client, role_users):
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("intake"), {**HOUSEHOLD_FORM, "phone": "12"})

    assert "“12” is not a valid phone number." in response.content.decode()
    assert Household.objects.count() == 0


def test_request_without_needs_is_refused(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("request_new", args=[household.pk]), {"channel": "phone", "needs": []})

    assert response.status_code == 200
    assert AidRequest.objects.count() == 0
