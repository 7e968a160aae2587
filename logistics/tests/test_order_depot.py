"""The depot of an order: new orders and the stock forms start at the same warehouse, decided in one place."""

import pytest
from django.core.exceptions import ValidationError

from inventory.forms_purchasing import DonationForm
from inventory.models import Warehouse
from inventory.selectors import default_warehouse
from inventory.tests.factories import WarehouseFactory
from logistics.orders import order_depot
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db


def test_a_new_order_is_stocked_at_the_warehouse_the_stock_forms_start_at(role_users):
    plan = approved_plan(role_users)
    first = Warehouse.objects.order_by("pk").first()
    WarehouseFactory(code="ZZ-LATER")  # created after: never the default

    order = plan.orders.get()

    assert order.warehouse == first
    assert order_depot() == first
    assert default_warehouse() == first
    assert DonationForm().initial["warehouse"] == first


def test_with_no_warehouse_there_is_no_depot_for_a_new_order():
    assert default_warehouse() is None

    with pytest.raises(ValidationError) as refused:
        order_depot()

    assert refused.value.code == "no_warehouse"
