"""The preferred supplier of an item is someone we buy from: the model's rule, kept by the restocking service."""

import pytest
from django.core.exceptions import ValidationError

from inventory.catalogue import item_restocking_update
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_service_sets_safety_stock_and_a_supplier():
    item, supplier = ItemFactory(), SupplierFactory()

    item_restocking_update(item=item, safety_stock=12, preferred_supplier=supplier)

    item.refresh_from_db()
    assert (item.safety_stock, item.preferred_supplier) == (12, supplier)


def test_the_service_clears_the_preferred_supplier():
    item = ItemFactory(preferred_supplier=SupplierFactory())

    item_restocking_update(item=item, preferred_supplier=None)

    item.refresh_from_db()
    assert item.preferred_supplier is None


def test_the_service_refuses_a_donor_and_saves_nothing():
    supplier = SupplierFactory()
    item = ItemFactory(preferred_supplier=supplier, safety_stock=3)

    with pytest.raises(ValidationError) as refused:
        item_restocking_update(item=item, safety_stock=40, preferred_supplier=DonorFactory())

    assert refused.value.error_dict["preferred_supplier"][0].code == "preferred_supplier_is_donor"
    # Neither the database nor the caller's object keeps the refused values.
    assert (item.safety_stock, item.preferred_supplier) == (3, supplier)
    item.refresh_from_db()
    assert (item.safety_stock, item.preferred_supplier) == (3, supplier)


def test_the_service_refuses_other_fields():
    item = ItemFactory(sku="RICE")

    with pytest.raises(ValidationError) as refused:
        item_restocking_update(item=item, sku="BEANS")

    assert refused.value.code == "not_a_restocking_field"
    item.refresh_from_db()
    assert item.sku == "RICE"


def test_the_service_refuses_a_negative_safety_stock():
    item = ItemFactory()

    with pytest.raises(ValidationError) as refused:
        item_restocking_update(item=item, safety_stock=-1)

    assert refused.value.error_dict["safety_stock"][0].code == "min_value"


def test_the_model_refuses_a_donor_as_preferred_supplier():
    item = ItemFactory.build(preferred_supplier=DonorFactory())

    with pytest.raises(ValidationError) as refused:
        item.clean()

    assert refused.value.error_dict["preferred_supplier"][0].code == "preferred_supplier_is_donor"


def test_a_supplier_some_items_prefer_cannot_become_a_donor():
    supplier = SupplierFactory()
    ItemFactory.create_batch(2, preferred_supplier=supplier)
    supplier.kind = supplier.Kind.DONOR

    with pytest.raises(ValidationError) as refused:
        supplier.full_clean()

    assert refused.value.error_dict["kind"][0].code == "donor_is_preferred_supplier"


def test_a_supplier_no_item_prefers_may_become_a_donor_and_back():
    supplier = SupplierFactory()
    ItemFactory(preferred_supplier=SupplierFactory())

    supplier.kind = supplier.Kind.DONOR
    supplier.full_clean()
    supplier.save()
    supplier.kind = supplier.Kind.SUPPLIER
    supplier.full_clean()
