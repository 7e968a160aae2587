"""The assessment page a social worker decides on."""

import datetime as dt

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import stock_received

pytestmark = pytest.mark.django_db


def test_the_delivery_date_defaults_to_tomorrow_as_an_iso_date_in_spanish(client, role_users, settings):
    settings.LANGUAGE_CODE = "es"
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment", args=[request.pk])).content.decode()

    assert f'type="date" name="first_delivery_on" value="{tomorrow().isoformat()}"' in page
    assert "Aprobar" in page


def _approval_data(pack, **overrides) -> dict:
    return {
        "approve": "1",
        "priority": "2",
        "first_delivery_on": tomorrow().isoformat(),
        "valid_until": (tomorrow() + dt.timedelta(days=90)).isoformat(),
        f"pack_{pack.pk}": "1",
        f"every_{pack.pk}": "1",
        **overrides,
    }


def _stocked_pack(role_users):
    item = ItemFactory()
    stock_received(role_users, item, WarehouseFactory(), "L1", 20)
    return pack_with({item: 2})


def _open_request(role_users):
    return aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )


def test_the_approval_offers_collection_at_the_depot_unticked(client, role_users):
    request = _open_request(role_users)
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment", args=[request.pk])).content.decode()

    checkbox = '<input type="checkbox" name="pickup" aria-describedby="id_pickup_helptext" id="id_pickup">'
    assert checkbox in page
    assert '<small class="muted" id="id_pickup_helptext">' in page
    assert "Collects at the depot" in page


def test_approving_without_collection_makes_a_home_delivery(client, role_users):
    pack = _stocked_pack(role_users)
    request = _open_request(role_users)
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("assessment", args=[request.pk]), _approval_data(pack))

    assert response.status_code == 302
    plan = AidPlan.objects.get(request=request)
    assert (plan.pickup, plan.orders.get().mode) == (False, DeliveryOrder.Mode.HOME)


def test_approving_for_collection_at_the_depot_makes_a_pickup_order(client, role_users):
    pack = _stocked_pack(role_users)
    request = _open_request(role_users)
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("assessment", args=[request.pk]), _approval_data(pack, pickup="on"))

    assert response.status_code == 302
    plan = AidPlan.objects.get(request=request)
    assert (plan.pickup, plan.orders.get().mode) == (True, DeliveryOrder.Mode.PICKUP)
