"""Fixtures that routing's service tests and page tests share."""

import pytest

from inventory.tests.factories import ItemFactory, pack_with
from logistics.tests.factories import VehicleFactory
from routing.tests.town import DEPOTS, town_depot, town_order, town_stock


@pytest.fixture
def town(role_users):
    """Three depots, each with its zone, its stock of one item, one van and two households' orders."""
    item = ItemFactory()
    pack = pack_with({item: 2})
    world = {"item": item, "pack": pack, "depots": {}, "orders": {}, "vans": {}}
    for code in DEPOTS:
        warehouse, zone = town_depot(code)
        town_stock(role_users, item, warehouse)
        world["depots"][code] = (warehouse, zone)
        world["vans"][code] = VehicleFactory(name=f"Furgoneta {code}", depot=warehouse)
        world["orders"][code] = [town_order(role_users, zone, pack, offset=i) for i in range(2)]
    return world
