"""Factories for logistics' models. Each builds a valid row with the fewest fields a test must care about."""

import datetime as dt

import factory

from inventory.tests.factories import WarehouseFactory
from logistics.models import Vehicle


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
