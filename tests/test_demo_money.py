"""The demo town counts money: its items have prices, its packs a value, its programmes a budget, and the weeks
since the first day of last month have deliveries that the cost page and the council's report count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from fixtures.demo_city import demo_city_build
from fixtures.demo_history import history_first_day
from inventory.budgets import budget_figures
from inventory.ledger import balance_differences
from inventory.models import Budget, Item, Pack, StockLot
from inventory.money import pack_values, stock_value
from logistics.models import DeliveryOrder
from reports.costs import delivery_costs, month_period
from reports.council import council_report
from requests_intake.models import Household, HouseholdMember


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (dt.date(2026, 12, 2), dt.date(2026, 11, 1)),
        (dt.date(2026, 1, 31), dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
    ],
)
def test_the_demos_past_starts_on_the_first_day_of_last_month(today, first):
    assert history_first_day(today) == first


@pytest.mark.django_db
def test_the_demo_towns_last_month_has_priced_deliveries_that_the_report_counts_as_the_database_does():
    demo_city_build()
    today = timezone.localdate()
    last_month = month_period(history_first_day(today))

    # Prices: every item bought has one, each pack is worth its contents at today's prices.
    assert not Item.objects.exclude(category=Item.Category.KIT).filter(unit_cost=0).exists()
    values = pack_values()
    assert {code: values[pk] for pk, code in Pack.objects.values_list("pk", "code")} == {
        "alimentos-s": Decimal("17.09"),
        "alimentos-l": Decimal("29.46"),
        "higiene": Decimal("6.20"),
        "infantil": Decimal("37.55"),  # nappies, formula and a pack of yoghurts
    }
    assert dict(Pack.objects.values_list("code", "programme")) == {
        "alimentos-s": "food",
        "alimentos-l": "food",
        "higiene": "hygiene",
        "infantil": "baby",
    }
    # Stock value (FIFO by lot): the purchase lots came in at 95 % of today's cost, so the value is below units
    # × today's cost; the lots of the past weeks left entirely.
    rows = stock_value()
    assert sum(row.value for row in rows) < sum(row.units * row.item.unit_cost for row in rows)
    assert not StockLot.objects.filter(lot_code__endswith="-H", balance__quantity__gt=0).exists()
    assert balance_differences() == []
    # Budgets for every programme of this year, and what was spent against them.
    assert Budget.objects.filter(year=today.year).count() == 4
    spent = {figure.programme: figure.spent for figure in budget_figures(year=today.year)}
    assert spent["food"] > 0
    assert spent["medication"] == 0

    # Last month: served households counted once, as the database counts them.
    report = council_report(period=last_month, name=f"{last_month.first:%Y-%m}")
    start, end = last_month.bounds()
    served = Household.objects.filter(
        Q(orders__stops__outcome="delivered", orders__stops__round__date__range=(last_month.first, last_month.last))
        | Q(orders__mode="pickup", orders__collected_at__gte=start, orders__collected_at__lt=end)
    ).distinct()
    total = report.rows[0]
    assert total.households == served.count() > 0
    assert total.people == served.count() + HouseholdMember.objects.filter(household__in=served).count()
    # Everyone served has a sex and a nationality group on record in the demo.
    not_recorded = {(row.section, row.figure): row.people for row in report.rows if row.figure == "Not recorded"}
    assert not_recorded == {("Sex", "Not recorded"): 0, ("Nationality group", "Not recorded"): 0}
    # Costs: packs and vans, both above zero, per delivery as the total over the deliveries.
    costs = delivery_costs(period=last_month)
    assert costs.total.packs_value > 0
    assert costs.total.van_cost > 0
    assert costs.total.deliveries == total.count
    assert costs.total.per_delivery == (costs.total.total / costs.total.deliveries).quantize(Decimal("0.01"))
    # The past makes no future: no order of the past weeks is left open.
    assert not DeliveryOrder.objects.filter(due_date__lt=today).exclude(status__in=["delivered", "cancelled"]).exists()
