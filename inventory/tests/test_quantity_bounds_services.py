"""Quantities have sane maximums at every door (forms, services, the ledger), so no typo or hostile request is
saved as two billion units and then overflows the integer columns for every movement after it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import tomorrow
from inventory.admin import PackComponentForm
from inventory.assembly import packs_assemble
from inventory.forms_purchasing import DonationLineForm, ReceiptForm
from inventory.ledger import lot_receive, stock_adjust, stock_transfer, stock_write_off
from inventory.limits import MAX_PACKS_PER_ASSEMBLY, MAX_UNITS_PER_LOT, MAX_UNITS_PER_MOVEMENT
from inventory.models import PurchaseOrder, PurchaseOrderLine, StockBalance, StockLot, StockMovement
from inventory.purchasing import donation_receive, po_create, po_send
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory, pack_with
from inventory.tests.quantity_bounds_world import INT_MAX, ledger
from requests_intake.decisions import aid_request_approve
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


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


# Purchasing: service and forms


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
