"""Budgets on the manager's figures page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.budgets import budget_alerts_refresh
from inventory.models import Budget
from inventory.tests.budgets_world import TODAY, YEAR
from logistics.models import DeliveryOrder

pytestmark = pytest.mark.django_db
Status = DeliveryOrder.Status


def test_the_manager_reads_budgets_and_alerts_on_the_figures_page(client, role_users, world, settings):
    settings.BUDGET_ALERT_PERCENT = 90
    Budget.objects.create(year=YEAR, programme="baby", amount=Decimal("10.00"))
    budget_alerts_refresh(year=YEAR, today=TODAY)
    client.force_login(role_users["manager"])

    page = client.get(reverse("figures"), {"first": f"{YEAR}-11-01", "last": f"{YEAR}-12-01"}).content.decode()

    assert f"Budgets {YEAR}" in page
    assert "has reached 90 %" in page
    assert "120.0 %" in page  # 12.00 committed of 10.00
