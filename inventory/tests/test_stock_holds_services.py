"""Units held for delivery orders stay on the shelf: no write-off, adjustment, transfer, count or reversal may take
them, so the delivery never fails at the door for want of stock it was promised."""

import datetime as dt

import pytest
from django.utils import timezone

from core.tests.factories import tomorrow
from inventory.counts import count_lines_update, count_post, count_start
from inventory.ledger import (
    StockHeld,
    expired_write_off,
    movement_reverse,
    stock_adjust,
    stock_transfer,
    stock_write_off,
)
from inventory.models import Reservation, StockBalance, StockCount, StockLot
from inventory.reservations import order_dispatch_stock
from inventory.tests.factories import WarehouseFactory
from inventory.tests.stock_holds_world import ledger_state
from tests.scenarios import stock_received

pytestmark = pytest.mark.django_db


def test_writing_off_units_held_for_an_order_is_refused_and_says_what_to_do(actor, held):
    order, lot = held
    before = ledger_state(lot)

    with pytest.raises(StockHeld) as refused:
        stock_write_off(actor=actor, lot=lot, quantity=9, reason="damaged")

    assert refused.value.code == "stock_held"
    assert (refused.value.held, refused.value.orders, refused.value.item) == (2, 1, lot.item)
    assert refused.value.messages == [
        f"{lot.item.label} in {lot.warehouse.name}: 2 units are held for 1 delivery order and only 1 usable units "
        "would remain. Release or cancel that order first; nothing was changed."
    ]
    assert ledger_state(lot) == before


def test_writing_off_down_to_exactly_the_held_units_is_allowed_and_the_delivery_still_goes(actor, held):
    order, lot = held

    stock_write_off(actor=actor, lot=lot, quantity=8, reason="damaged")
    order_dispatch_stock(actor=actor, order=order, on=tomorrow())

    assert StockBalance.objects.get(lot=lot).quantity == 0
    assert list(order.reservations.values_list("status", flat=True)) == ["consumed"]


def test_a_negative_adjustment_into_the_held_units_is_refused(actor, held):
    _order, lot = held
    before = ledger_state(lot)

    with pytest.raises(StockHeld):
        stock_adjust(actor=actor, lot=lot, quantity=-10, reason="correction")

    assert ledger_state(lot) == before


def test_transferring_held_units_away_is_refused_and_creates_no_lot_at_the_target(actor, held):
    _order, lot = held
    north = WarehouseFactory(code="norte")
    before = ledger_state(lot)

    with pytest.raises(StockHeld):
        stock_transfer(actor=actor, lot=lot, to=north, quantity=9)

    assert ledger_state(lot) == before
    assert StockLot.objects.filter(warehouse=north).count() == 0


def test_units_in_another_usable_lot_of_the_item_cover_the_holds(actor, held):
    _order, lot = held
    stock_received({"supplier_coordinator": actor}, lot.item, lot.warehouse, "L2", 2)

    stock_write_off(actor=actor, lot=lot, quantity=10, reason="damaged")

    assert StockBalance.objects.get(lot=lot).quantity == 0


def test_an_expired_lot_cannot_cover_holds_and_writing_it_off_is_always_allowed(actor, held):
    _order, lot = held
    today = timezone.localdate()
    old = stock_received(
        {"supplier_coordinator": actor},
        lot.item,
        lot.warehouse,
        "OLD",
        50,
        expiry=today - dt.timedelta(days=1),
        received_on=today - dt.timedelta(days=30),
    )

    [movement] = expired_write_off(actor=actor, warehouse=lot.warehouse, on=today)

    assert (movement.lot, movement.quantity) == (old, -50)
    with pytest.raises(StockHeld):
        stock_write_off(actor=actor, lot=lot, quantity=9, reason="damaged")


def test_reversing_the_receipt_of_held_units_is_refused(actor, held):
    _order, lot = held
    before = ledger_state(lot)

    with pytest.raises(StockHeld):
        movement_reverse(actor=actor, movement=lot.movements.get(kind="receipt"))

    assert ledger_state(lot) == before


def test_a_count_that_finds_fewer_units_than_are_held_is_not_posted(actor, held):
    _order, lot = held
    count = count_start(actor=actor, warehouse=lot.warehouse, counted_on=timezone.localdate())
    count_lines_update(actor=actor, count=count, changes={count.lines.get().pk: (1, "count")})
    before = ledger_state(lot)

    with pytest.raises(StockHeld):
        count_post(actor=actor, count=count)

    assert ledger_state(lot) == before
    assert StockCount.objects.get(pk=count.pk).status == StockCount.Status.DRAFT


def test_once_the_order_releases_its_hold_the_write_off_goes_through(actor, held):
    order, lot = held
    order.reservations.update(status=Reservation.Status.RELEASED)

    stock_write_off(actor=actor, lot=lot, quantity=10, reason="damaged")

    assert StockBalance.objects.get(lot=lot).quantity == 0
