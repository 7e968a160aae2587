"""What the money tests share: a purchase order whose amounts round."""

import datetime as dt
from decimal import Decimal

from inventory.purchasing import po_create
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory

IN_A_YEAR = dt.timedelta(days=365)


def priced_order(actor, *, supplier=None):
    """Rice 120 × 0.8125 at 4 % and soap 7 × 2.35 at 21 %: amounts that round."""
    rice = ItemFactory(name="Arroz", name_en="Rice", unit_cost=Decimal("0.8000"), vat_rate=4)
    soap = ItemFactory(name="Jabón", name_en="Soap", unit_cost=Decimal("2.0000"), vat_rate=21)
    return po_create(
        actor=actor,
        supplier=supplier or SupplierFactory(email="pedidos@levante.example", language="es"),
        warehouse=WarehouseFactory(),
        lines=[(rice, 120, Decimal("0.8125")), (soap, 7, Decimal("2.35"), 21)],
    )
