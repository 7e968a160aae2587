"""Factories for inventory's models. Each builds a valid row with the fewest fields a test must care about."""

from decimal import Decimal

import factory

from inventory.models import Item, Pack, PackComponent, Supplier, Warehouse


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ("code",)

    code = "central"
    name = "Almacén central"
    address = "C/ de la Logística 4"
    latitude = Decimal("37.619600")
    longitude = Decimal("-0.965000")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.Sequence(lambda n: f"Artículo {n}")
    category = Item.Category.FOOD
    weight_kg = Decimal("1.000")
    volume_l = Decimal("1.000")


class PackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pack

    code = factory.Sequence(lambda n: f"pack-{n}")
    name = factory.Sequence(lambda n: f"Lote {n}")


def pack_with(items: dict[Item, int], **kwargs) -> Pack:
    pack = PackFactory(**kwargs)
    for item, quantity in items.items():
        PackComponent.objects.create(pack=pack, item=item, quantity=quantity)
    return pack


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Distribuciones Levante {n}")
    kind = "supplier"
    lead_time_days = 5


class DonorFactory(SupplierFactory):
    name = factory.Sequence(lambda n: f"Banco de Alimentos {n}")
    kind = "donor"
