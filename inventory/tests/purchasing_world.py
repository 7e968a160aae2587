"""What the purchasing tests share: a sent order, a receipt of it, and a snapshot of all a refusal must leave alone."""

import datetime as dt

from django.utils import timezone

from inventory.models import PurchaseOrder, Receiving, StockLot, StockMovement
from inventory.purchasing import po_create, po_receive, po_send
from inventory.tests.factories import SupplierFactory, WarehouseFactory

TODAY = timezone.localdate
IN_A_YEAR = dt.timedelta(days=365)


def sent_order(actor, lines, *, warehouse=None, supplier=None) -> PurchaseOrder:
    order = po_create(
        actor=actor, supplier=supplier or SupplierFactory(), warehouse=warehouse or WarehouseFactory(), lines=lines
    )
    return po_send(actor=actor, purchase_order=order)


def receive(actor, order, *rows, differences=""):
    """Rows are (line, quantity, lot code), expiring in a year."""
    return po_receive(
        actor=actor,
        purchase_order=order,
        received_on=TODAY(),
        lines=[(line, quantity, code, TODAY() + IN_A_YEAR) for line, quantity, code in rows],
        differences=differences,
    )


def snapshot(order: PurchaseOrder) -> tuple:
    """Everything a refused receipt must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        list(order.lines.order_by("pk").values_list("quantity_received", flat=True)),
        StockLot.objects.count(),
        StockMovement.objects.count(),
        Receiving.objects.count(),
    )
