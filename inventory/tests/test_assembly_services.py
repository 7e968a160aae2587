"""Assembling packs: items out first-expiring first, packs in, orders' holds moved to the finished packs."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from core.tests.factories import tomorrow
from inventory.assembly import assembly_needs, packs_assemble
from inventory.documents import assembly_list_pdf
from inventory.ledger import balance_differences, lot_receive
from inventory.models import StockMovement
from inventory.reservations import InsufficientStock, order_dispatch_stock, order_reserve_stock
from inventory.selectors import available_by_item, on_hand_by_item
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def kit_pack(items: dict, **kwargs):
    """A pack whose assembled units are stock of their own."""
    pack = pack_with(items, **kwargs)
    pack.stock_item = ItemFactory(category="kit", sku=f"KIT-{pack.code}")
    pack.save()
    return pack


@pytest.fixture
def shelf(actor):
    """Rice in two lots (one expiring sooner) and oil, in one warehouse."""
    warehouse = WarehouseFactory()
    rice, oil = ItemFactory(sku="RICE"), ItemFactory(sku="OIL")
    soon = tomorrow() + dt.timedelta(days=10)
    lot_receive(actor=actor, item=rice, warehouse=warehouse, lot_code="R-LATE", quantity=20, expiry_date=None)
    lot_receive(actor=actor, item=rice, warehouse=warehouse, lot_code="R-SOON", quantity=3, expiry_date=soon)
    lot_receive(actor=actor, item=oil, warehouse=warehouse, lot_code="O-1", quantity=10, expiry_date=None)
    return warehouse, rice, oil, soon


def test_assembly_takes_first_expiring_items_and_makes_a_lot_of_packs_expiring_with_them(actor, shelf):
    warehouse, rice, oil, soon = shelf
    pack = kit_pack({rice: 2, oil: 1})

    lot = packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=3, on=tomorrow(), for_orders=False)

    out = StockMovement.objects.filter(kind="assembly", quantity__lt=0).order_by("pk")
    assert [(m.lot.lot_code, m.quantity) for m in out] == [("R-SOON", -3), ("R-LATE", -3), ("O-1", -3)]
    assert (lot.item, lot.expiry_date, lot.movements.get().quantity) == (pack.stock_item, soon, 3)
    assert on_hand_by_item(warehouse=warehouse) == {rice.pk: 17, oil.pk: 7, pack.stock_item.pk: 3}
    assert len({m.batch for m in StockMovement.objects.filter(kind="assembly")}) == 1
    assert balance_differences() == []


def test_assembly_without_enough_free_items_is_refused_and_changes_nothing(actor, shelf):
    warehouse, rice, oil, _soon = shelf
    pack = kit_pack({rice: 2, oil: 1})

    with pytest.raises(InsufficientStock, match="needs 11, 10 available"):
        packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=11, on=tomorrow(), for_orders=False)

    assert StockMovement.objects.filter(kind="assembly").count() == 0
    assert on_hand_by_item(warehouse=warehouse)[rice.pk] == 23


@pytest.mark.parametrize("quantity", [0, -2])
def test_assembling_no_packs_is_refused(actor, shelf, quantity):
    warehouse, rice, _oil, _soon = shelf
    with pytest.raises(ValidationError) as refused:
        packs_assemble(actor=actor, pack=kit_pack({rice: 1}), warehouse=warehouse, quantity=quantity)
    assert refused.value.code == "quantity_not_positive"


def test_a_pack_not_kept_as_stock_cannot_be_assembled(actor, shelf):
    warehouse, rice, _oil, _soon = shelf
    with pytest.raises(ValidationError) as refused:
        packs_assemble(actor=actor, pack=pack_with({rice: 1}), warehouse=warehouse, quantity=1)
    assert refused.value.code == "pack_not_assembled_stock"


def test_assembling_for_an_order_moves_its_hold_from_items_to_the_pack_and_dispatch_takes_the_pack(role_users, actor):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack
    pack.stock_item = ItemFactory(category="kit")
    pack.save()
    assert available_by_item(warehouse=warehouse, on=tomorrow())[item.pk] == 8

    packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=1, on=tomorrow())

    hold = order.reservations.get(status="active")
    assert (hold.item, hold.quantity) == (pack.stock_item, 1)
    # The items left the shelf with the order's hold on them: free stock is unchanged.
    assert available_by_item(warehouse=warehouse, on=tomorrow()) == {item.pk: 8, pack.stock_item.pk: 0}
    order_dispatch_stock(actor=actor, order=order, on=tomorrow())
    assert on_hand_by_item(warehouse=warehouse) == {item.pk: 8}
    assert balance_differences() == []


def test_a_new_order_takes_assembled_packs_before_loose_items(role_users, actor, shelf):
    warehouse, rice, oil, _soon = shelf
    pack = kit_pack({rice: 2, oil: 1})
    packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=2, on=tomorrow(), for_orders=False)
    order, *_ = approved_order(role_users, on_hand=1, per_pack=1)
    order.warehouse = warehouse
    order.save()

    holds = order_reserve_stock(order=order, pack_quantities=[(pack, 3)])

    assert sorted((h.item.sku, h.quantity) for h in holds) == sorted(
        [("OIL", 1), ("RICE", 2), (pack.stock_item.sku, 2)]
    )


def test_assembling_for_an_order_already_holding_some_packs_adds_the_new_ones_to_that_hold(role_users, actor, shelf):
    warehouse, rice, oil, _soon = shelf
    pack = kit_pack({rice: 2, oil: 1})
    packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=2, on=tomorrow(), for_orders=False)
    order, *_ = approved_order(role_users, on_hand=1, per_pack=1)
    order.warehouse = warehouse
    order.save()
    order.reservations.update(status="released")
    order.lines.update(pack=pack, quantity=3)
    order_reserve_stock(order=order, pack_quantities=[(pack, 3)])  # two packs from the shelf, one still loose

    packs_assemble(actor=actor, pack=pack, warehouse=warehouse, quantity=1, on=tomorrow())

    assert list(order.reservations.filter(status="active").values_list("item", "quantity")) == [(pack.stock_item.pk, 3)]
    assert available_by_item(warehouse=warehouse, on=tomorrow())[pack.stock_item.pk] == 0
    assert balance_differences() == []


def test_the_assembly_list_shows_packs_to_build_with_lots_first_to_expire(role_users, actor):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    pack = order.lines.get().pack
    pack.stock_item = ItemFactory(category="kit")
    pack.save()

    [need] = assembly_needs(warehouse=warehouse, on=tomorrow())

    assert (need.pack, need.to_assemble, need.orders, need.already_assembled) == (pack, 1, 1, 0)
    assert [(p.item, p.units, [(lot.lot_code, n) for lot, n in p.lots]) for p in need.picks] == [(item, 2, [("L1", 2)])]
    text = pdf_text(assembly_list_pdf(warehouse=warehouse, on=tomorrow(), language="en"))
    assert "assemble 1 (for 1 orders" in text
    assert "2 from L1" in text


def test_the_assembly_list_prints_item_names_in_any_script(role_users):
    order, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    item.name = "Ρύζι Рис 大米 أرز"
    item.save()
    pack = order.lines.get().pack
    pack.stock_item = ItemFactory(category="kit")
    pack.save()

    text = pdf_text(assembly_list_pdf(warehouse=warehouse, on=tomorrow(), language="es"))

    # One line, first strong letter Greek: left to right, the Arabic word joined and drawn last letter first.
    assert "Ρύζι Рис 大米 ﺯﺭﺃ" in text or "Ρύζι Рис 大米 ﺃﺭﺯ" in text  # pypdf may put right-to-left glyphs back
