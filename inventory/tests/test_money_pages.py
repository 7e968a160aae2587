"""Money on the pages: an item's price history, sending an order, what is missing in money, the stock value and
its exports."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inventory.ledger import lot_receive
from inventory.models import PurchaseOrder
from inventory.money import purchase_order_money
from inventory.purchasing import po_receive, po_send
from inventory.tests.factories import ItemFactory, WarehouseFactory
from inventory.tests.money_world import IN_A_YEAR, priced_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_the_item_history_page_lists_the_unit_costs(admin_client):
    item = ItemFactory(unit_cost=Decimal("1.0000"))
    item.unit_cost = Decimal("1.2500")
    item.save(update_fields=["unit_cost"])

    response = admin_client.get(reverse("admin:inventory_item_history", args=[item.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert ("1.0000" in page, "1.2500" in page) == (True, True)


def test_the_send_button_emails_the_order_and_says_so(client, coordinator):
    order = priced_order(coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("purchase_order_send", args=[order.pk]), follow=True)

    assert len(mail.outbox) == 1
    assert "pedidos@levante.example" in response.content.decode()


def test_the_order_page_shows_what_is_missing_in_units_and_money(client, coordinator):
    order = po_send(actor=coordinator, purchase_order=priced_order(coordinator))
    rice_line = order.lines.order_by("pk").first()
    po_receive(
        actor=coordinator,
        purchase_order=order,
        received_on=TODAY(),
        lines=[(rice_line, 100, "R-1", TODAY() + IN_A_YEAR)],
    )
    client.force_login(coordinator)

    money = purchase_order_money(PurchaseOrder.objects.get(pk=order.pk))
    page = client.get(reverse("purchase_order_detail", args=[order.pk])).content.decode()

    # Rice: 20 × 0.8125 = 16.25 net missing; soap: all 7 missing, 19.90 gross.
    assert [(m.units_missing, m.money_missing.net) for m in money.lines] == [
        (20, Decimal("16.25")),
        (7, Decimal("16.45")),
    ]
    assert (money.received.gross, money.missing.gross) == (Decimal("84.50"), Decimal("36.80"))
    assert "84.50" in page  # the test client reads English
    assert "36.80" in page


def _two_lots(actor):
    rice = ItemFactory(sku="ARROZ", name="Arroz", name_en="Rice", unit_cost=Decimal("1.0000"))
    depot = WarehouseFactory()
    for code, units, cost in (("A", 4, Decimal("0.5000")), ("B", 6, Decimal("0.6250"))):
        lot_receive(
            actor=actor, item=rice, warehouse=depot, lot_code=code, quantity=units, expiry_date=None, unit_cost=cost
        )
    return rice, depot


def test_the_supply_dashboard_shows_the_stock_value_per_depot(client, coordinator):
    _two_lots(coordinator)  # 4 × 0.50 + 6 × 0.625 = 5.75
    client.force_login(coordinator)

    page = client.get(reverse("supply_dashboard")).content.decode()

    assert "Total Almacén central" in page
    assert ">5.75<" in page.replace("<strong>", "").replace("</strong>", "")


def test_the_stock_value_exports_as_csv_with_a_total_row(client, coordinator):
    _two_lots(coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("stock_value_export", args=["csv"]))

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Warehouse;SKU;Item;Units on hand;Value, VAT excluded (EUR);Average unit cost (EUR);"
        "Lots valued at the item's unit cost",
        "Almacén central;ARROZ;Rice;10;5.75;0.5750;0",
        "Total;;;10;5.75;;0",
    ]


def test_an_item_name_that_looks_like_a_formula_is_exported_as_text(client, coordinator):
    ItemFactory(sku="X", name_en="=HYPERLINK(1)")
    lot_receive(
        actor=coordinator,
        item=ItemFactory._meta.model.objects.get(sku="X"),
        warehouse=WarehouseFactory(),
        lot_code="L",
        quantity=1,
        expiry_date=None,
    )
    client.force_login(coordinator)

    csv_lines = client.get(reverse("stock_value_export", args=["csv"])).content.decode("utf-8-sig").splitlines()

    assert csv_lines[1].split(";")[2] == "'=HYPERLINK(1)"


def test_the_stock_value_exports_as_xlsx_with_numbers_as_numbers(client, coordinator):
    from openpyxl import load_workbook

    _two_lots(coordinator)
    client.force_login(coordinator)

    content = client.get(reverse("stock_value_export", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(content)).active

    assert [cell.value for cell in sheet[2]] == ["Almacén central", "ARROZ", "Rice", 10, 5.75, 0.575, 0]


def test_an_unknown_export_format_is_not_found(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("stock_value_export", args=["ods"])).status_code == 404
