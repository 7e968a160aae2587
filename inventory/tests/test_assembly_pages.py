"""The assembly page: the planner records an assembly, a driver may not."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from inventory.models import Reservation
from inventory.tests.factories import ItemFactory
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def test_the_assembly_page_records_an_assembly_for_the_planner_and_refuses_a_driver(client, role_users):
    order, _item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack
    pack.stock_item = ItemFactory(category="kit")
    pack.save()
    query = f"?date={tomorrow().isoformat()}&warehouse={warehouse.pk}"

    client.force_login(role_users["driver"])
    assert client.get(reverse("assembly") + query).status_code == 403
    assert client.post(reverse("assembly_run", args=[pack.pk]) + query, {"quantity": 1}).status_code == 403

    client.force_login(role_users["logistics_planner"])
    page = client.get(reverse("assembly") + query)
    assert "1 to assemble for 1 orders" in page.content.decode()
    client.post(reverse("assembly_run", args=[pack.pk]) + query, {"quantity": 1})
    assert order.reservations.get(status="active").item == pack.stock_item
    pdf = client.get(reverse("assembly_pdf") + query)
    assert pdf["Content-Type"] == "application/pdf"
    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryOrder.Status.RESERVED
    assert Reservation.objects.filter(status="consumed", item__sku__startswith="SKU").count() == 1
