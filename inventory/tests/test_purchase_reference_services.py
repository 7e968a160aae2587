"""A purchase order's reference reads in Spanish: PED-<year>-<number>, counted per year and never reused."""

import pytest
from django.utils import timezone

from inventory.models import PurchaseOrder
from inventory.purchasing import po_create
from inventory.tests.factories import ItemFactory, SupplierFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def _order(actor) -> PurchaseOrder:
    return po_create(actor=actor, supplier=SupplierFactory(), warehouse=WarehouseFactory(), lines=[(ItemFactory(), 5)])


def test_the_first_order_of_the_year_is_ped_0001(coordinator):
    year = timezone.localdate().year

    assert _order(coordinator).reference == f"PED-{year}-0001"


def test_the_next_order_counts_on_from_the_last_of_the_year(coordinator):
    year = timezone.localdate().year
    _order(coordinator)

    assert _order(coordinator).reference == f"PED-{year}-0002"


def test_an_order_made_with_the_old_po_prefix_is_left_alone_and_not_reused(coordinator):
    year = timezone.localdate().year
    old = _order(coordinator)
    PurchaseOrder.objects.filter(pk=old.pk).update(reference=f"PO-{year}-0007")

    new = _order(coordinator)

    assert new.reference == f"PED-{year}-0001"
    old.refresh_from_db()
    assert old.reference == f"PO-{year}-0007"
