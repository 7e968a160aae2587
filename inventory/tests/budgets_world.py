"""The year of budgets the budget tests share: a food pack and a baby pack, spent and committed."""

import datetime as dt
from decimal import Decimal

import pytest

from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan
from tests.scenarios import approved_plan

YEAR = 2030
TODAY = dt.date(YEAR, 12, 1)
Status = DeliveryOrder.Status


@pytest.fixture
def world(role_users):
    """Food pack 5.00 (2 rice × 2.50), baby pack 12.00 (1 nappies × 12.00).

    Spent food: 3 packs delivered in the year = 15.00 (a delivery of last year and a cancelled order do not count).
    Committed baby: 1 pack on an open order = 12.00. Committed food: a weekly plan from 10 December, 4 deliveries
    (10, 17, 24, 31 December) of 1 pack = 20.00."""
    rice = ItemFactory(unit_cost=Decimal("2.5000"))
    nappies = ItemFactory(unit_cost=Decimal("12.0000"), category="baby")
    food = pack_with({rice: 2}, programme="food")
    baby = pack_with({nappies: 1}, programme="baby")
    plan = approved_plan(role_users, packs=[(food, 1)])
    for due, status, pack, units in (
        (dt.date(YEAR, 3, 2), Status.DELIVERED, food, 3),
        (dt.date(YEAR - 1, 12, 30), Status.DELIVERED, food, 50),
        (dt.date(YEAR, 4, 2), Status.CANCELLED, food, 50),
        (dt.date(YEAR, 6, 1), Status.PENDING, baby, 1),
    ):
        order = DeliveryOrder.objects.create(
            plan=plan, household=plan.request.household, warehouse=WarehouseFactory(), due_date=due, status=status
        )
        DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=units)
    weekly = approved_plan(role_users, packs=[(food, 1)], repeat_every_days=7)
    AidPlan.objects.filter(pk=weekly.pk).update(first_delivery_on=dt.date(YEAR, 12, 10), valid_until=None)
    return food, baby
