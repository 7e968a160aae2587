"""Factories for the whole slice. Each builds a valid row with the fewest fields a test must care about."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from inventory.models import Item, Pack, PackComponent, Warehouse
from logistics.models import Vehicle
from requests_intake.models import DocumentType, Household, Zone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"zona-{n}")
    name = factory.Sequence(lambda n: f"Zona {n}")
    postcodes = "30201,30202"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    given_name = "Carmen"
    family_name = factory.Sequence(lambda n: f"Sánchez {n}")
    document_type = DocumentType.NONE
    document_number = ""
    phone = "+34968123456"
    address = factory.Sequence(lambda n: f"Calle del Almendro {n}, 2º")
    postcode = "30201"
    municipality = "Cartagena"
    latitude = Decimal("37.605000")
    longitude = Decimal("-0.985000")
    members = 2


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


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    name = factory.Sequence(lambda n: f"Furgoneta {n}")
    plate = factory.Sequence(lambda n: f"{1000 + n} LMN")
    depot = factory.SubFactory(WarehouseFactory)
    capacity_kg = 400
    capacity_l = 3000
    shift_start = dt.time(9, 0)
    shift_end = dt.time(14, 0)


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Supplier"

    name = factory.Sequence(lambda n: f"Distribuciones Levante {n}")
    kind = "supplier"
    lead_time_days = 5


class DonorFactory(SupplierFactory):
    name = factory.Sequence(lambda n: f"Banco de Alimentos {n}")
    kind = "donor"


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "requests_intake.HouseholdMember"

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Sequence(lambda n: f"Lucía {n}")
    family_name = "Sánchez"
    birth_date = dt.date(2015, 3, 14)
    relationship = "child"
