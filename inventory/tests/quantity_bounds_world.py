"""What the quantity bound tests share: the largest value an integer column holds, and a lot's ledger state."""

from inventory.models import StockBalance, StockLot, StockMovement

INT_MAX = 2_147_483_647


def ledger(lot) -> tuple:
    return StockBalance.objects.get(lot=lot).quantity, StockMovement.objects.count(), StockLot.objects.count()
