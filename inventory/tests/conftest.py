"""Fixtures that inventory's service tests and page tests share.

Each `<thing>_world.py` holds the setup of one pair of test files (test_<thing>_services.py and
test_<thing>_pages.py); its fixtures are made available here. A test module that defines a fixture of the same
name keeps its own: test_assembly_services.py has its own `shelf`, test_api.py its own `world`."""

import pytest

from inventory.ledger import lot_receive
from inventory.tests.alerts_world import short_item
from inventory.tests.budgets_world import world
from inventory.tests.count_sheet_world import count
from inventory.tests.counts_world import shelf
from inventory.tests.factories import ItemFactory, WarehouseFactory
from inventory.tests.forecast_world import hand_case
from inventory.tests.stock_holds_world import held

# Imported for pytest to find, not used here.
__all__ = ["count", "hand_case", "held", "shelf", "short_item", "world"]


@pytest.fixture
def actor(role_users):
    """The supplier coordinator, who changes stock in most of these tests."""
    return role_users["supplier_coordinator"]


@pytest.fixture
def coordinator(actor):
    return actor


@pytest.fixture
def lot(actor):
    """Ten units in lot A1 of a new item, without expiry."""
    return lot_receive(
        actor=actor, item=ItemFactory(), warehouse=WarehouseFactory(), lot_code="A1", quantity=10, expiry_date=None
    )
