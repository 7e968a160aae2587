from inventory.models.alerts import StockAlert
from inventory.models.catalogue import Item, Location, Pack, PackComponent, Warehouse
from inventory.models.counts import StockCount, StockCountLine
from inventory.models.ledger import Reservation, StockBalance, StockLot, StockMovement
from inventory.models.purchasing import PurchaseOrder, PurchaseOrderLine, Receiving, Supplier

__all__ = [
    "Item",
    "Location",
    "Pack",
    "PackComponent",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Receiving",
    "Reservation",
    "StockAlert",
    "StockBalance",
    "StockCount",
    "StockCountLine",
    "StockLot",
    "StockMovement",
    "Supplier",
    "Warehouse",
]
