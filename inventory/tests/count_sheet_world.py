"""What the hostile count sheet tests share: a count of lots whose codes a spreadsheet would run, and a sheet
with a cell at XFD1048576."""

import io

import openpyxl
import pytest
from django.utils import timezone

from inventory.counts import count_start
from inventory.ledger import lot_receive
from inventory.models import StockCount
from inventory.tests.factories import ItemFactory, WarehouseFactory

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)"]


@pytest.fixture
def count(role_users) -> StockCount:
    """A count of one warehouse whose rice lots have codes a spreadsheet would run."""
    actor = role_users["supplier_coordinator"]
    warehouse = WarehouseFactory()
    rice = ItemFactory(sku="RICE")
    for code in HOSTILE:
        lot_receive(actor=actor, item=rice, warehouse=warehouse, lot_code=code, quantity=3, expiry_date=None)
    return count_start(actor=actor, warehouse=warehouse, counted_on=timezone.localdate())


def counted(count: StockCount) -> dict[str, int]:
    return dict(count.lines.values_list("lot__lot_code", "counted"))


def xfd_sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "lot_code", "counted"])
    sheet.append(["RICE", "=1+1", 2])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
