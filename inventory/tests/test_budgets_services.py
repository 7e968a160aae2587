"""Budgets per programme: spent (delivered packs) and committed (open orders and approved plans still to come) in
the year, and the alert at the threshold."""

from decimal import Decimal

import pytest

from inventory.budgets import budget_alerts_refresh, budget_figures
from inventory.models import Budget, BudgetAlert
from inventory.tests.budgets_world import TODAY, YEAR
from logistics.models import DeliveryOrder

pytestmark = pytest.mark.django_db
Status = DeliveryOrder.Status


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
