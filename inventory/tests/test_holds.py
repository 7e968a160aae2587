"""One active hold per order line and item, reservations that never hold an order twice, and check_stock
proving that the holds fit the shelf and the order lines."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tests.factories import tomorrow
from inventory.models import Reservation, StockLot
from inventory.reservations import order_reserve_stock
from logistics.models import DeliveryOrder
from logistics.services import order_reserve, orders_reserve_due
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

ACTIVE = Reservation.Status.ACTIVE


def held(order) -> list[tuple[int, int, str]]:
    return sorted(order.reservations.values_list("item_id", "quantity", "status"))


def test_the_database_refuses_a_second_active_hold_for_the_same_order_line_and_item(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack

    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(order=order, item=item, pack=pack, warehouse=warehouse, quantity=2)

    assert held(order) == [(item.pk, 2, ACTIVE)]


def test_a_released_hold_leaves_room_for_the_order_to_be_held_again(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack
    order.reservations.update(status=Reservation.Status.RELEASED)

    Reservation.objects.create(order=order, item=item, pack=pack, warehouse=warehouse, quantity=2)

    assert held(order) == [(item.pk, 2, ACTIVE), (item.pk, 2, Reservation.Status.RELEASED)]


def test_reserving_an_order_another_pass_already_reserved_leaves_it_alone(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    # The pass loaded the order while it still waited; another pass reserved it since.
    stale = DeliveryOrder.objects.get(pk=order.pk)
    stale.status = DeliveryOrder.Status.PENDING

    assert order_reserve(order=stale) is None

    assert stale.status == DeliveryOrder.Status.RESERVED
    assert held(order) == [(item.pk, 2, ACTIVE)]


def test_a_second_reservation_pass_counts_nothing_and_holds_nothing_more(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    DeliveryOrder.objects.filter(pk=order.pk).update(status=DeliveryOrder.Status.SHORT)
    order.reservations.update(status=Reservation.Status.RELEASED)

    assert orders_reserve_due(date=tomorrow()) == (1, 0)
    assert orders_reserve_due(date=tomorrow()) == (0, 0)

    assert order.reservations.filter(status=ACTIVE).count() == 1
    assert order.reservations.get(status=ACTIVE).quantity == 2


def test_an_order_marked_waiting_that_already_holds_its_stock_is_skipped_not_held_twice(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    # Left by the old race: the order holds its stock although a later pass marked it short.
    DeliveryOrder.objects.filter(pk=order.pk).update(status=DeliveryOrder.Status.SHORT)
    order.refresh_from_db()

    assert order_reserve(order=order) is None

    assert DeliveryOrder.objects.get(pk=order.pk).status == DeliveryOrder.Status.SHORT
    assert held(order) == [(item.pk, 2, ACTIVE)]


def test_reserving_the_items_of_an_order_twice_is_refused_by_the_database(role_users):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack

    with pytest.raises(IntegrityError), transaction.atomic():
        order_reserve_stock(order=order, pack_quantities=[(pack, 1)])

    assert held(order) == [(item.pk, 2, ACTIVE)]


def test_check_stock_passes_when_every_hold_is_covered_and_fits_its_line(role_users, capsys):
    approved_order(role_users, on_hand=10, per_pack=2)

    call_command("check_stock")

    assert capsys.readouterr().out.splitlines() == [
        "Every active hold is covered by usable stock and fits its order line.",
        "Stock is consistent: 1 lots match the ledger.",
    ]


def test_check_stock_exits_1_when_holds_exceed_the_usable_stock_of_a_depot(role_users, capsys):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    # The lot ran past its date while the order held it: nothing usable is left for the hold.
    StockLot.objects.filter(item=item).update(expiry_date=timezone.localdate() - dt.timedelta(days=1))

    with pytest.raises(SystemExit) as stopped:
        call_command("check_stock")

    assert stopped.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{warehouse.name}, {item.label}: 2 units are held for orders, only 0 usable on hand."
    ]


def test_check_stock_exits_1_when_an_order_line_holds_more_packs_than_it_asks_for(role_users, capsys):
    order, item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack
    # Three packs' worth of items (5 units at 2 a pack, rounded up) for a line of one pack.
    order.reservations.update(quantity=5)

    with pytest.raises(SystemExit) as stopped:
        call_command("check_stock")

    assert stopped.value.code == 1
    assert capsys.readouterr().err.splitlines() == [f"Order {order.pk}, {pack.label}: holds 3 packs for a line of 1."]
