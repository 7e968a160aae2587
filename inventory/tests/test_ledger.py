"""The ledger is the truth: movements are never edited, only reversed; balances follow it; check_stock proves it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from inventory.ledger import (
    NegativeStock,
    balance_differences,
    expired_write_off,
    lot_receive,
    movement_reverse,
    stock_adjust,
    stock_return,
    stock_transfer,
    stock_write_off,
)
from inventory.models import StockBalance, StockLot, StockMovement
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def balance(lot) -> int:
    return StockBalance.objects.get(lot=lot).quantity


def test_a_movement_cannot_be_edited_or_deleted(lot):
    movement = lot.movements.get()

    movement.quantity = 99
    with pytest.raises(ValueError, match="never edited"):
        movement.save()
    with pytest.raises(ValueError, match="never deleted"):
        movement.delete()
    assert StockMovement.objects.get(pk=movement.pk).quantity == 10


def test_a_mistake_is_undone_by_a_reversing_movement_that_keeps_the_original(actor, lot):
    wrong = stock_adjust(actor=actor, lot=lot, quantity=-4, reason="correction", note="typed 4 instead of 1")

    reversal = movement_reverse(actor=actor, movement=wrong)

    assert reversal.reverses == wrong
    assert reversal.quantity == 4
    assert list(lot.movements.values_list("quantity", flat=True)) == [10, -4, 4]
    assert balance(lot) == 10
    assert balance_differences() == []


def test_a_movement_is_reversed_once_and_a_reversal_is_not_reversed(actor, lot):
    receipt = lot.movements.get()
    reversal = movement_reverse(actor=actor, movement=receipt)

    with pytest.raises(ValidationError) as refused:
        movement_reverse(actor=actor, movement=receipt)
    assert refused.value.code == "movement_already_reversed"
    with pytest.raises(ValidationError) as refused:
        movement_reverse(actor=actor, movement=reversal)
    assert refused.value.code == "movement_is_reversal"
    assert balance(lot) == 0


def test_taking_more_than_the_lot_holds_is_refused_with_nothing_changed(actor, lot):
    with pytest.raises(NegativeStock, match="lot A1 .* holds 10"):
        stock_write_off(actor=actor, lot=lot, quantity=11, reason="damaged")

    assert lot.movements.count() == 1
    assert balance(lot) == 10


def test_reversing_a_receipt_whose_goods_are_gone_is_refused(actor, lot):
    stock_write_off(actor=actor, lot=lot, quantity=8, reason="damaged")

    with pytest.raises(NegativeStock):
        movement_reverse(actor=actor, movement=lot.movements.order_by("pk").first())
    assert balance(lot) == 2


@pytest.mark.parametrize("quantity", [0, -3, 2.5, True])
def test_write_offs_and_returns_need_whole_positive_quantities(actor, lot, quantity):
    with pytest.raises(ValidationError) as written_off:
        stock_write_off(actor=actor, lot=lot, quantity=quantity)
    with pytest.raises(ValidationError) as returned:
        stock_return(actor=actor, lot=lot, quantity=quantity)
    assert (written_off.value.code, returned.value.code) == ("quantity_not_positive", "quantity_not_positive")
    assert lot.movements.count() == 1


def test_an_adjustment_needs_a_known_reason(actor, lot):
    with pytest.raises(ValidationError) as refused:
        stock_adjust(actor=actor, lot=lot, quantity=2, reason="")
    assert refused.value.code == "reason_invalid"
    with pytest.raises(ValidationError) as refused:
        stock_adjust(actor=actor, lot=lot, quantity=2, reason="because")
    assert refused.value.code == "reason_invalid"
    assert balance(lot) == 10


def test_damaged_goods_taken_out_by_an_adjustment_are_booked_as_a_write_off(actor, lot):
    movement = stock_adjust(actor=actor, lot=lot, quantity=-2, reason="damaged")

    assert movement.kind == StockMovement.Kind.WRITE_OFF
    assert balance(lot) == 8


def test_a_transfer_moves_units_between_warehouses_keeping_code_and_expiry(actor):
    expiry = timezone.localdate() + dt.timedelta(days=40)
    source = lot_receive(
        actor=actor, item=ItemFactory(), warehouse=WarehouseFactory(), lot_code="T1", quantity=6, expiry_date=expiry
    )
    north = WarehouseFactory(code="norte", name="Almacén norte")

    target = stock_transfer(actor=actor, lot=source, to=north, quantity=4)

    assert (target.lot_code, target.expiry_date, target.warehouse) == ("T1", expiry, north)
    assert (balance(source), balance(target)) == (2, 4)
    out, into = StockMovement.objects.filter(kind="transfer").order_by("pk")
    assert out.batch == into.batch
    with pytest.raises(ValidationError) as refused:
        stock_transfer(actor=actor, lot=source, to=source.warehouse, quantity=1)
    assert refused.value.code == "same_warehouse"


def test_expired_lots_are_written_off_whole(actor):
    warehouse = WarehouseFactory()
    item = ItemFactory()
    today = timezone.localdate()
    old = lot_receive(
        actor=actor,
        item=item,
        warehouse=warehouse,
        lot_code="OLD",
        quantity=5,
        expiry_date=today - dt.timedelta(days=2),
        received_on=today - dt.timedelta(days=30),
    )
    lot_receive(actor=actor, item=item, warehouse=warehouse, lot_code="NEW", quantity=3, expiry_date=None)

    [movement] = expired_write_off(actor=actor, warehouse=warehouse, on=today)

    assert (movement.lot, movement.quantity, movement.reason) == (old, -5, "expired")
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 3}


def test_receiving_an_already_expired_lot_is_refused(actor):
    with pytest.raises(ValidationError) as refused:
        lot_receive(
            actor=actor,
            item=ItemFactory(),
            warehouse=WarehouseFactory(),
            lot_code="X",
            quantity=5,
            expiry_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert refused.value.code == "lot_expired"
    assert StockLot.objects.count() == 0


def test_check_stock_is_clean_when_balances_follow_the_ledger(actor, lot, capsys):
    stock_adjust(actor=actor, lot=lot, quantity=3, reason="found")

    call_command("check_stock")

    assert "1 lots match the ledger" in capsys.readouterr().out


def test_check_stock_exits_1_and_names_the_lot_when_a_balance_was_changed_behind_the_ledger(lot, capsys):
    StockBalance.objects.filter(lot=lot).update(quantity=7)

    with pytest.raises(SystemExit) as stopped:
        call_command("check_stock")

    assert stopped.value.code == 1
    assert "balance says 7, the ledger says 10" in capsys.readouterr().err
