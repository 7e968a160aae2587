"""Quantities past their maximum refused at the pages and the API, as errors that name the field."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tablib import Dataset

from inventory.counts import count_lines_update, count_start
from inventory.limits import MAX_UNITS_PER_LOT, MAX_UNITS_PER_MOVEMENT
from inventory.models import PurchaseOrder
from inventory.resources import CountImportRefused, count_sheet_import
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory
from inventory.tests.quantity_bounds_world import INT_MAX, ledger

pytestmark = pytest.mark.django_db


# The lot page


@pytest.mark.parametrize("quantity", ["2000000000", "-2000000000", str(MAX_UNITS_PER_MOVEMENT + 1)])
def test_the_lot_page_refuses_a_quantity_past_the_bound_as_a_field_error(client, actor, lot, quantity):
    before = ledger(lot)
    client.force_login(actor)

    response = client.post(
        reverse("lot_detail", args=[lot.pk]), {"action": "adjust", "quantity": quantity, "reason": "found"}
    )

    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["quantity"]]
    assert codes == ["max_value" if quantity[0] != "-" else "min_value"]
    assert ledger(lot) == before


# Purchasing: page and API


def new_order_data(item, warehouse, quantity) -> dict:
    return {
        "supplier": SupplierFactory().pk,
        "warehouse": warehouse.pk,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": item.pk,
        "lines-0-quantity": str(quantity),
    }


def test_the_new_purchase_order_page_refuses_a_line_past_the_bound(client, actor):
    client.force_login(actor)

    response = client.post(reverse("purchase_order_new"), new_order_data(ItemFactory(), WarehouseFactory(), INT_MAX))

    assert response.status_code == 200
    formset = response.context["formset"]
    assert [error.code for error in formset.forms[0].errors.as_data()["quantity"]] == ["max_value"]
    assert PurchaseOrder.objects.count() == 0


def test_the_api_refuses_a_purchase_line_past_the_bound_with_a_400_naming_the_field(role_users):
    client = APIClient()
    client.force_authenticate(role_users["supplier_coordinator"])
    payload = {
        "supplier": SupplierFactory().pk,
        "warehouse": WarehouseFactory().pk,
        "lines": [{"item": ItemFactory().pk, "quantity": INT_MAX}],
    }

    response = client.post(reverse("api_purchase_order-list"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "lines": {"0": {"quantity": [f"Order at most {MAX_UNITS_PER_MOVEMENT} units on one line."]}}
    }
    assert PurchaseOrder.objects.count() == 0


def test_the_api_refuses_a_safety_stock_past_the_bound(role_users):
    item = ItemFactory()
    client = APIClient()
    client.force_authenticate(role_users["supplier_coordinator"])

    response = client.patch(reverse("api_item-detail", args=[item.pk]), {"safety_stock": INT_MAX}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["safety_stock"]
    item.refresh_from_db()
    assert item.safety_stock == 0


# Counts


def test_a_count_past_what_a_lot_may_hold_is_refused_by_the_service_the_page_and_the_sheet(client, actor, lot):
    count = count_start(actor=actor, warehouse=lot.warehouse, counted_on=timezone.localdate())
    line = count.lines.get()
    client.force_login(actor)

    with pytest.raises(ValidationError) as refused:
        count_lines_update(actor=actor, count=count, changes={line.pk: (MAX_UNITS_PER_LOT + 1, "count")})
    page = client.post(
        reverse("stock_count_detail", args=[count.pk]),
        {
            "action": "save",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": line.pk,
            "lines-0-counted": str(INT_MAX),
            "lines-0-reason": "count",
        },
    )
    sheet = Dataset(headers=["sku", "lot_code", "counted"])
    sheet.append([lot.item.sku, "A1", INT_MAX])
    with pytest.raises(CountImportRefused) as imported:
        count_sheet_import(actor=actor, count=count, dataset=sheet)

    assert refused.value.code == "quantity_too_large"
    assert page.status_code == 200
    assert [e.code for e in page.context["formset"].forms[0].errors.as_data()["counted"]] == ["max_value"]
    assert [(error.row, error.column, error.code) for error in imported.value.errors] == [
        (2, "counted", "quantity_too_large")
    ]
    line.refresh_from_db()
    assert line.counted == 10
