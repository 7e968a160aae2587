from inventory.models.alerts import StockAlert
from inventory.models.budgets import Budget, BudgetAlert
from inventory.models.catalogue import Item, Location, Pack, PackComponent, Programme, VatRate, Warehouse
from inventory.models.counts import StockCount, StockCountLine
from inventory.models.ledger import Reservation, StockBalance, StockLot, StockMovement
from inventory.models.purchasing import PurchaseOrder, PurchaseOrderDocument, PurchaseOrderLine, Receiving, Supplier

__all__ = [
    "Budget",
    "BudgetAlert",
    "Item",
    "Location",
    "Pack",
    "PackComponent",
    "Programme",
    "PurchaseOrder",
    "PurchaseOrderDocument",
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
    "VatRate",
    "Warehouse",
]
