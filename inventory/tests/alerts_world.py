"""What the stock alert tests share: orders due on a day and an item that runs short."""

import pytest

from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive


def orders_due(role_users, warehouse, pack, due, quantity) -> DeliveryOrder:
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    plan = AidPlan.objects.create(request=request, first_delivery_on=due)
    order = DeliveryOrder.objects.create(plan=plan, household=request.household, warehouse=warehouse, due_date=due)
    DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=quantity)
    return order


@pytest.fixture
def short_item(role_users):
    """6 units on hand, safety stock 2, 10 units due in 3 days: low stock today and short on day 3."""
    warehouse = WarehouseFactory()
    item = ItemFactory(safety_stock=2)
    receive(role_users, item, warehouse, "L1", 6)
    order = orders_due(role_users, warehouse, pack_with({item: 1}), day(3), 10)
    return item, warehouse, order
