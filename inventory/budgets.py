"""Budgets per programme and year: what was spent, what is committed, and the alert when the two near the budget.

Rules, so the figures can be checked by hand:
- A pack's value is its components at their items' unit cost now, VAT excluded (`inventory.money.pack_values`);
  a pack counts under its `programme`.
- Spent: packs of the delivery orders delivered with a due date in the year.
- Committed: packs still to come in the year under approved aid: open delivery orders (pending to out for delivery,
  rescheduled) due in the year, plus the future deliveries of recurring plans of approved requests after their last
  order and up to the end of the year (the same occurrences the stock forecast counts, `inventory.forecast`).
- Used = spent + committed. An alert is raised once used reaches `BUDGET_ALERT_PERCENT` % of the budget, and
  resolved when it falls below again (a budget raised, a plan ended).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch, Sum
from django.utils import timezone

from inventory.forecast import OPEN_ORDER_STATUSES, _recurring_plans_q
from inventory.models import Budget, BudgetAlert, Pack, Programme
from inventory.money import cents, pack_values
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan, AidPlanLine
from requests_intake.recurrence import lines_on, plan_occurrences

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetFigure:
    year: int
    programme: str
    budget: Budget | None
    spent: Decimal
    committed: Decimal
    threshold_percent: int

    @property
    def label(self) -> str:
        return Programme(self.programme).label

    @property
    def used(self) -> Decimal:
        return self.spent + self.committed

    @property
    def amount(self) -> Decimal | None:
        return self.budget.amount if self.budget else None

    @property
    def remaining(self) -> Decimal | None:
        return self.budget.amount - self.used if self.budget else None

    @property
    def used_percent(self) -> Decimal | None:
        if not self.budget or not self.budget.amount:
            return None
        return (self.used * 100 / self.budget.amount).quantize(Decimal("0.1"))

    @property
    def over_threshold(self) -> bool:
        """Used has reached the alert threshold (a budget of zero is reached by any use)."""
        if self.budget is None:
            return False
        return self.used * 100 >= self.budget.amount * self.threshold_percent


def _programme_totals(pack_units: dict[int, int], values: dict[int, Decimal], programmes: dict[int, str]):
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for pack_id, units in pack_units.items():
        totals[programmes[pack_id]] += units * values.get(pack_id, ZERO)
    return totals


def budget_figures(*, year: int, today: dt.date | None = None) -> list[BudgetFigure]:
    """One figure per programme for the year, budgeted or not (module docstring)."""
    today = today or timezone.localdate()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    packs = list(Pack.objects.prefetch_related("components__item"))
    values = pack_values(packs)
    programmes = {pack.pk: pack.programme for pack in packs}
    delivered: dict[int, int] = defaultdict(int)
    to_come: dict[int, int] = defaultdict(int)
    for status, pack_id, units in (
        DeliveryOrderLine.objects.filter(
            order__due_date__range=(first, last),
            order__status__in=[DeliveryOrder.Status.DELIVERED, *OPEN_ORDER_STATUSES],
        )
        .order_by()
        .values_list("order__status", "pack_id")
        .annotate(units=Sum("quantity"))
    ):
        (delivered if status == DeliveryOrder.Status.DELIVERED else to_come)[pack_id] += units
    start = max(today, first)
    if start <= last:
        plans = (
            AidPlan.objects.filter(_recurring_plans_q(today=start, last_day=last))
            .annotate(last_due=Max("orders__due_date"))
            .prefetch_related(Prefetch("lines", queryset=AidPlanLine.objects.order_by("pk")))
        )
        for plan in plans:
            after = max(start - dt.timedelta(days=1), plan.last_due or plan.first_delivery_on - dt.timedelta(days=1))
            for occurrence in plan_occurrences(plan, after=after, until=last):
                for line in lines_on(plan, plan.lines.all(), occurrence):
                    to_come[line.pack_id] += line.quantity

    spent = _programme_totals(delivered, values, programmes)
    committed = _programme_totals(to_come, values, programmes)
    budgets = {budget.programme: budget for budget in Budget.objects.filter(year=year)}
    percent = settings.BUDGET_ALERT_PERCENT
    return [
        BudgetFigure(
            year, programme, budgets.get(programme), cents(spent[programme]), cents(committed[programme]), percent
        )
        for programme in Programme.values
    ]


@dataclass(frozen=True)
class BudgetCheck:
    raised: int
    updated: int
    resolved: int


@transaction.atomic
def budget_alerts_refresh(*, year: int | None = None, today: dt.date | None = None) -> BudgetCheck:
    """Raise an alert for each budget of the year whose spent + committed reached the threshold, keep its figures
    up to date while it stays there, and resolve it once it falls below. Safe to run twice."""
    today = today or timezone.localdate()
    year = year or today.year
    now = timezone.now()
    raised = updated = resolved = 0
    for figure in budget_figures(year=year, today=today):
        if figure.budget is None:
            continue
        live = (
            BudgetAlert.objects.select_for_update()
            .filter(budget=figure.budget)
            .exclude(status=BudgetAlert.Status.RESOLVED)
            .first()
        )
        if figure.over_threshold and live is None:
            BudgetAlert.objects.create(
                budget=figure.budget, spent=figure.spent, committed=figure.committed, last_seen=now
            )
            raised += 1
        elif figure.over_threshold:
            live.spent, live.committed, live.last_seen = figure.spent, figure.committed, now
            live.save(update_fields=["spent", "committed", "last_seen"])
            updated += 1
        elif live is not None:
            live.status, live.last_seen = BudgetAlert.Status.RESOLVED, now
            live.save(update_fields=["status", "last_seen"])
            resolved += 1
    return BudgetCheck(raised, updated, resolved)


def budget_alerts_live():
    return (
        BudgetAlert.objects.exclude(status=BudgetAlert.Status.RESOLVED)
        .select_related("budget")
        .order_by("budget__year", "budget__programme")
    )
