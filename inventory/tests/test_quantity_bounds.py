"""Quantities have sane maximums at every door (forms, API, services, the ledger), so no typo or hostile request is
saved as two billion units and then overflows the integer columns for every movement after it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tablib import Dataset

from core.tests.factories import tomorrow
from inventory.admin import PackComponentForm
from inventory.assembly import packs_assemble
from inventory.counts import count_lines_update, count_start
from inventory.forms_purchasing import DonationLineForm, ReceiptForm
from inventory.ledger import lot_receive, stock_adjust, stock_transfer, stock_write_off
from inventory.limits import MAX_PACKS_PER_ASSEMBLY, MAX_UNITS_PER_LOT, MAX_UNITS_PER_MOVEMENT
from inventory.models import PurchaseOrder, PurchaseOrderLine, StockBalance, StockLot, StockMovement
from inventory.purchasing import donation_receive, po_create, po_send
from inventory.resources import CountImportRefused, count_sheet_import
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

INT_MAX = 2_147_483_647


@pytest.fixture
def actor(role_users):
    return role_users["supplier_coordinator"]


@pytest.fixture
def lot(actor):
    return lot_receive(
        actor=actor, item=ItemFactory(), warehouse=WarehouseFactory(), lot_code="A1", quantity=10, expiry_date=None
    )


def ledger(lot) -> tuple:
    return StockBalance.objects.get(lot=lot).quantity, StockMovement.objects.count(), StockLot.objects.count()


# The ledger's services


@pytest.mark.parametrize("quantity", [MAX_UNITS_PER_MOVEMENT + 1, 2_000_000_000, -2_000_000_000])
def test_an_adjustment_past_the_bound_is_refused_and_nothing_changes(actor, lot, quantity):
    before = ledger(lot)

    with pytest.raises(ValidationError) as refused:
        stock_adjust(actor=actor, lot=lot, quantity=quantity, reason="found")

    assert refused.value.code == "quantity_too_large"
    assert ledger(lot) == before


def test_an_adjustment_of_exactly_the_bound_is_accepted(actor, lot):
    stock_adjust(actor=actor, lot=lot, quantity=MAX_UNITS_PER_MOVEMENT, reason="found")

    assert StockBalance.objects.get(lot=lot).quantity == MAX_UNITS_PER_MOVEMENT + 10


def test_write_offs_and_transfers_past_the_bound_are_refused(actor, lot):
    before = ledger(lot)

    with pytest.raises(ValidationError) as written_off:
        stock_write_off(actor=actor, lot=lot, quantity=INT_MAX)
    with pytest.raises(ValidationError) as transferred:
        stock_transfer(actor=actor, lot=lot, to=WarehouseFactory(code="norte"), quantity=INT_MAX)

    assert (written_off.value.code, transferred.value.code) == ("quantity_too_large", "quantity_too_large")
    assert ledger(lot) == before


def test_a_receipt_larger_than_a_lot_may_hold_is_refused_with_no_lot_left_behind(actor):
    with pytest.raises(ValidationError) as refused:
        lot_receive(
            actor=actor,
            item=ItemFactory(),
            warehouse=WarehouseFactory(),
            lot_code="BIG",
            quantity=INT_MAX,
            expiry_date=None,
        )

    assert refused.value.code == "quantity_too_large"
    assert (StockLot.objects.count(), StockMovement.objects.count()) == (0, 0)


def test_a_lot_cannot_be_filled_past_its_capacity_by_repeated_adjustments(actor, lot):
    for _ in range(MAX_UNITS_PER_LOT // MAX_UNITS_PER_MOVEMENT - 1):
        stock_adjust(actor=actor, lot=lot, quantity=MAX_UNITS_PER_MOVEMENT, reason="found")
    before = ledger(lot)

    with pytest.raises(ValidationError) as refused:
        stock_adjust(actor=actor, lot=lot, quantity=MAX_UNITS_PER_MOVEMENT, reason="found")

    assert refused.value.code == "lot_too_full"
    assert before[0] == MAX_UNITS_PER_LOT - MAX_UNITS_PER_MOVEMENT + 10
    assert ledger(lot) == before


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


# Purchasing: page, API and service


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


def test_the_purchasing_service_refuses_a_line_past_the_bound(actor):
    with pytest.raises(ValidationError) as refused:
        po_create(
            actor=actor,
            supplier=SupplierFactory(),
            warehouse=WarehouseFactory(),
            lines=[(ItemFactory(), MAX_UNITS_PER_MOVEMENT + 1)],
        )

    assert refused.value.code == "quantity_too_large"
    assert PurchaseOrder.objects.count() == 0


def test_the_receipt_form_refuses_units_past_the_bound(actor):
    order = po_send(
        actor=actor,
        purchase_order=po_create(
            actor=actor, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(ItemFactory(), 5)]
        ),
    )
    line = PurchaseOrderLine.objects.get(purchase_order=order)
    form = ReceiptForm(
        {
            "received_on": timezone.localdate().isoformat(),
            f"quantity_{line.pk}": str(INT_MAX),
            f"lot_code_{line.pk}": "X",
        },
        lines=[line],
    )

    assert [error.code for error in form.errors.as_data()[f"quantity_{line.pk}"]] == ["max_value"]


def test_donations_past_the_bound_are_refused_by_the_form_and_the_service(actor):
    item = ItemFactory()
    form = DonationLineForm({"item": item.pk, "quantity": str(INT_MAX), "lot_code": "D"})

    with pytest.raises(ValidationError) as refused:
        donation_receive(
            actor=actor,
            donor=SupplierFactory(kind="donor"),
            warehouse=WarehouseFactory(),
            received_on=timezone.localdate(),
            lines=[(item, MAX_UNITS_PER_MOVEMENT + 1, "D", None)],
        )

    assert [error.code for error in form.errors.as_data()["quantity"]] == ["max_value"]
    assert refused.value.code == "quantity_too_large"
    assert (StockLot.objects.count(), StockMovement.objects.count()) == (0, 0)


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


# Packs


def test_a_pack_component_past_the_bound_is_refused_by_the_admin_form():
    form = PackComponentForm({"item": ItemFactory().pk, "quantity": "2147483647"})

    assert [error.code for error in form.errors.as_data()["quantity"]] == ["max_value"]


def test_an_aid_plan_with_more_packs_per_delivery_than_the_bound_is_refused(role_users):
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    WarehouseFactory()

    with pytest.raises(ValidationError) as refused:
        aid_request_approve(
            actor=role_users["social_worker"],
            request=request,
            packs=[(pack_with({ItemFactory(): 1}), 32_767)],
            priority=1,
            first_delivery_on=tomorrow(),
        )

    assert refused.value.code == "quantity_too_large"
    assert AidPlan.objects.count() == 0


def test_assembling_more_packs_at_once_than_the_bound_is_refused_with_nothing_taken(actor, lot):
    pack = pack_with({lot.item: 1})
    pack.stock_item = ItemFactory(category="kit")
    pack.save()
    before = ledger(lot)

    with pytest.raises(ValidationError) as refused:
        packs_assemble(actor=actor, pack=pack, warehouse=lot.warehouse, quantity=MAX_PACKS_PER_ASSEMBLY + 1)

    assert refused.value.code == "quantity_too_large"
    assert ledger(lot) == before
