"""What the stock count tests share: the shelf they count and the helpers that start and read a count."""

import datetime as dt

import pytest
from django.utils import timezone

from inventory.counts import count_start
from inventory.ledger import lot_receive, stock_write_off
from inventory.models import StockCount, StockCountLine
from inventory.tests.factories import ItemFactory, WarehouseFactory

HEADER = "warehouse,sku,item,lot_code,expiry_date,expected,counted,reason"


@pytest.fixture
def shelf(role_users):
    """Central warehouse: rice lot R1 (10 units), oil lot O1 (5), an empty rice lot R0; a north warehouse lot N1."""
    actor = role_users["supplier_coordinator"]
    central = WarehouseFactory()
    north = WarehouseFactory(code="north", name="Almacén norte")
    rice = ItemFactory(sku="RICE")
    oil = ItemFactory(sku="OIL")
    in_a_year = timezone.localdate() + dt.timedelta(days=365)
    lots = {
        "R1": lot_receive(actor=actor, item=rice, warehouse=central, lot_code="R1", quantity=10, expiry_date=in_a_year),
        "O1": lot_receive(actor=actor, item=oil, warehouse=central, lot_code="O1", quantity=5, expiry_date=None),
        "R0": lot_receive(actor=actor, item=rice, warehouse=central, lot_code="R0", quantity=2, expiry_date=None),
        "N1": lot_receive(actor=actor, item=rice, warehouse=north, lot_code="N1", quantity=7, expiry_date=None),
    }
    stock_write_off(actor=actor, lot=lots["R0"], quantity=2)
    return {"actor": actor, "central": central, "north": north, "rice": rice, "oil": oil, **lots}


def start(shelf, **kwargs) -> StockCount:
    return count_start(actor=shelf["actor"], warehouse=shelf["central"], counted_on=timezone.localdate(), **kwargs)


def line_of(count: StockCount, lot) -> StockCountLine:
    return count.lines.get(lot=lot)


def balance(lot) -> int:
    lot.balance.refresh_from_db()
    return lot.balance.quantity
