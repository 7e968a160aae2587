"""The factories now live with the app owning each model (<app>/tests/factories.py); this keeps old imports working."""

from core.tests.factories import UserFactory, tomorrow
from inventory.tests.factories import (
    DonorFactory,
    ItemFactory,
    PackFactory,
    SupplierFactory,
    WarehouseFactory,
    pack_with,
)
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory, ZoneFactory

__all__ = [
    "DonorFactory",
    "HouseholdFactory",
    "HouseholdMemberFactory",
    "ItemFactory",
    "PackFactory",
    "SupplierFactory",
    "UserFactory",
    "VehicleFactory",
    "WarehouseFactory",
    "ZoneFactory",
    "pack_with",
    "tomorrow",
]
