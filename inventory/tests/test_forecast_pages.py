"""The supplier coordinator's dashboard: the forecast, the cover chart, alerts and purchase orders made from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import PurchaseOrder, StockAlert
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from inventory.tests.forecast_world import approved_plan, order_due
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive

pytestmark = pytest.mark.django_db


# The dashboard


@pytest.mark.parametrize(
    ("role", "status"),
    [("supplier_coordinator", 200), ("manager", 200), ("driver", 403), ("social_worker", 403)],
)
def test_the_supply_dashboard_is_for_those_who_watch_stock(client, role_users, role, status):
    client.force_login(role_users[role])

    assert client.get(reverse("supply_dashboard")).status_code == status


def test_the_dashboard_shows_tomorrows_shortfall_the_forecast_and_the_cover_chart(client, role_users):
    warehouse = WarehouseFactory()
    item = ItemFactory(name_en="Chickpeas", preferred_supplier=SupplierFactory(name="Legumbres Sur"))
    pack = pack_with({item: 1})
    receive(role_users, item, warehouse, "C-1", 3, expiry=day(20))
    plan = approved_plan(role_users, pack, 2, day(1))  # reserves 2 of the 3
    order_due(plan, warehouse, day(1), pack, 5)  # 7 due tomorrow, 3 on hand: 4 missing
    client.force_login(role_users["supplier_coordinator"])

    page = client.get(reverse("supply_dashboard"))

    assert page.status_code == 200
    html = page.content.decode()
    short = page.context["short_tomorrow"]
    assert [(entry["row"].item, entry["demand"], entry["available"], entry["missing"]) for entry in short] == [
        (item, 7, 3, 4)
    ]
    assert "Legumbres Sur" in html
    assert "Create purchase order" in html
    assert "<svg" in html
    assert "<polyline" in html
    assert f"{item.sku} · Chickpeas — runs out" in html  # the chart's legend


def test_the_cover_chart_is_left_out_when_nothing_runs_out(client, role_users):
    item = ItemFactory()
    receive(role_users, item, WarehouseFactory(), "PLENTY", 50)
    client.force_login(role_users["manager"])

    page = client.get(reverse("supply_dashboard"))

    assert page.context["chart"] is None
    assert "No item runs out in the next 28 days." in page.content.decode()
    assert "Create purchase order" not in page.content.decode()  # the manager cannot order


def test_creating_a_purchase_order_from_the_forecast_makes_a_draft_with_the_suggested_quantity(
    client, role_users, hand_case
):
    item, warehouse, _pack = hand_case
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk})

    order = PurchaseOrder.objects.get(status=PurchaseOrder.Status.DRAFT)
    assert response.status_code == 302
    assert response.url == reverse("purchase_order_detail", kwargs={"pk": order.pk})
    assert (order.supplier, order.warehouse) == (item.preferred_supplier, warehouse)
    assert [(line.item, line.quantity_ordered) for line in order.lines.all()] == [(item, 9)]


def test_an_item_without_a_preferred_supplier_cannot_be_ordered_from_the_forecast(client, role_users, hand_case):
    item, warehouse, _pack = hand_case
    item.preferred_supplier = None
    item.save(update_fields=["preferred_supplier"])
    before = PurchaseOrder.objects.count()
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk}, follow=True)

    assert PurchaseOrder.objects.count() == before
    assert response.redirect_chain == [(reverse("supply_dashboard"), 302)]
    assert "has no preferred supplier" in response.content.decode()


def test_ordering_from_the_forecast_needs_the_right_to_create_purchase_orders(client, role_users, hand_case):
    item, warehouse, _pack = hand_case
    client.force_login(role_users["manager"])

    response = client.post(reverse("supply_order_create"), {"item": item.pk, "warehouse": warehouse.pk})

    assert response.status_code == 403
    assert PurchaseOrder.objects.filter(status=PurchaseOrder.Status.DRAFT).count() == 0


def test_ordering_an_unknown_item_is_refused_with_a_message(client, role_users):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_order_create"), {"item": "rice", "warehouse": ""}, follow=True)

    assert PurchaseOrder.objects.count() == 0
    assert "Choose an item and a warehouse from the forecast" in response.content.decode()


def test_the_dashboard_lists_open_alerts_with_an_acknowledge_button(client, role_users):
    item = ItemFactory()
    warehouse = WarehouseFactory()
    lot = receive(role_users, item, warehouse, "OLD", 3, expiry=day(-1), received_on=day(-10))
    StockAlert.objects.create(
        kind="expired",
        key=f"expired:{item.pk}:{warehouse.pk}:{lot.pk}",
        item=item,
        warehouse=warehouse,
        lot=lot,
        on_date=day(-1),
        quantity=3,
        last_seen=timezone.now(),
    )
    client.force_login(role_users["supplier_coordinator"])

    html = client.get(reverse("supply_dashboard")).content.decode()

    assert "Expired" in html
    assert "OLD" in html
    assert "Acknowledge" in html
