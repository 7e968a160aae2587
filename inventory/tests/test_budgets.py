"""Budgets per programme: spent (delivered packs) and committed (open orders and approved plans still to come) in
the year, the alert at the threshold, and the manager's figures page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.budgets import budget_alerts_refresh, budget_figures
from inventory.models import Budget, BudgetAlert
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db

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


def figures_by_programme():
    return {f.programme: (f.spent, f.committed) for f in budget_figures(year=YEAR, today=TODAY)}


def test_spent_is_delivered_packs_and_committed_is_open_orders_and_plans_to_come(world):
    assert figures_by_programme() == {
        "food": (Decimal("15.00"), Decimal("20.00")),
        "hygiene": (Decimal("0.00"), Decimal("0.00")),
        "baby": (Decimal("0.00"), Decimal("12.00")),
        "medication": (Decimal("0.00"), Decimal("0.00")),
    }


def test_a_budget_at_the_threshold_raises_one_alert(world, settings):
    settings.BUDGET_ALERT_PERCENT = 90
    food = Budget.objects.create(year=YEAR, programme="food", amount=Decimal("38.89"))  # 35.00 is 89.99 %
    baby = Budget.objects.create(year=YEAR, programme="baby", amount=Decimal("13.33"))  # 12.00 is 90.02 %

    first = budget_alerts_refresh(year=YEAR, today=TODAY)
    again = budget_alerts_refresh(year=YEAR, today=TODAY)

    assert (first.raised, again.raised, again.updated) == (1, 0, 1)
    alert = BudgetAlert.objects.get()
    assert (alert.budget, alert.spent, alert.committed, alert.status) == (
        baby,
        Decimal("0.00"),
        Decimal("12.00"),
        "open",
    )
    assert not BudgetAlert.objects.filter(budget=food).exists()


def test_exactly_the_threshold_raises_the_alert(world, settings):
    settings.BUDGET_ALERT_PERCENT = 50
    Budget.objects.create(year=YEAR, programme="baby", amount=Decimal("24.00"))  # 12.00 is exactly 50 %

    assert budget_alerts_refresh(year=YEAR, today=TODAY).raised == 1


def test_an_alert_is_resolved_once_the_budget_is_raised(world, settings):
    settings.BUDGET_ALERT_PERCENT = 90
    baby = Budget.objects.create(year=YEAR, programme="baby", amount=Decimal("10.00"))
    budget_alerts_refresh(year=YEAR, today=TODAY)
    Budget.objects.filter(pk=baby.pk).update(amount=Decimal("100.00"))

    result = budget_alerts_refresh(year=YEAR, today=TODAY)

    assert (result.resolved, BudgetAlert.objects.get().status) == (1, "resolved")


def test_a_negative_budget_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(year=YEAR, programme="food", amount=Decimal("-1.00"))

    assert Budget.objects.count() == 0


def test_the_manager_reads_budgets_and_alerts_on_the_figures_page(client, role_users, world, settings):
    settings.BUDGET_ALERT_PERCENT = 90
    Budget.objects.create(year=YEAR, programme="baby", amount=Decimal("10.00"))
    budget_alerts_refresh(year=YEAR, today=TODAY)
    client.force_login(role_users["manager"])

    page = client.get(reverse("figures"), {"first": f"{YEAR}-11-01", "last": f"{YEAR}-12-01"}).content.decode()

    assert f"Budgets {YEAR}" in page
    assert "has reached 90 %" in page
    assert "120.0 %" in page  # 12.00 committed of 10.00
