"""Stock alerts: the daily check that turns the forecast and the lots on the shelf into problems to act on.

One problem has one alert for as long as it lasts (the key says which problem it is): each refresh updates the
figures of the alert it already has, resolves the alerts whose problem is gone, and leaves acknowledged alerts
acknowledged. A problem that comes back after being resolved is a new alert.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.events import emit
from inventory.forecast import forecast
from inventory.models import StockAlert, StockLot, Warehouse
from inventory.selectors import available_by_item

NEAR_EXPIRY_DAYS = 7

Kind = StockAlert.Kind
Status = StockAlert.Status


@dataclass(frozen=True)
class Problem:
    kind: str
    item_id: int
    warehouse_id: int
    lot_id: int | None
    on_date: dt.date
    quantity: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_id}:{self.warehouse_id}:{self.lot_id or '-'}"


@dataclass(frozen=True)
class RefreshResult:
    created: int
    updated: int
    resolved: int


def problems_find(*, today: dt.date) -> list[Problem]:
    """Every stock problem as of `today`: low stock, projected shortfall, near-expiry and expired lots."""
    problems = []
    projection = forecast(today=today)
    available = {
        warehouse.pk: available_by_item(warehouse=warehouse, on=today)
        for warehouse in Warehouse.objects.filter(pk__in={row.warehouse.pk for row in projection.rows})
    }
    for row in projection.rows:
        units = available[row.warehouse.pk].get(row.item.pk, 0)
        if units < row.reorder_point:
            problems.append(Problem(Kind.LOW_STOCK, row.item.pk, row.warehouse.pk, None, today, units))
        if row.runs_out_on is not None:
            problems.append(
                Problem(Kind.SHORTFALL, row.item.pk, row.warehouse.pk, None, row.runs_out_on, row.shortfall)
            )
    lots = StockLot.objects.filter(
        balance__quantity__gt=0, expiry_date__lte=today + dt.timedelta(days=NEAR_EXPIRY_DAYS)
    ).values_list("pk", "item_id", "warehouse_id", "expiry_date", "balance__quantity")
    for lot_id, item_id, warehouse_id, expiry, units in lots:
        kind = Kind.EXPIRED if expiry < today else Kind.NEAR_EXPIRY
        problems.append(Problem(kind, item_id, warehouse_id, lot_id, expiry, units))
    return problems


def alerts_refresh(*, today: dt.date | None = None) -> RefreshResult:
    """Bring the alerts in line with today's problems: one live alert per problem, resolved once it is gone."""
    problems = {problem.key: problem for problem in problems_find(today=today or timezone.localdate())}
    now = timezone.now()
    with transaction.atomic():
        # A refresh racing this one blocks here or, if it inserts first, makes this one fail on the unique key:
        # either way no problem gets two live alerts, and the task retries.
        live = {alert.key: alert for alert in StockAlert.objects.select_for_update().exclude(status=Status.RESOLVED)}
        new, seen = [], []
        for key, problem in problems.items():
            alert = live.pop(key, None)
            if alert is None:
                new.append(
                    StockAlert(
                        kind=problem.kind,
                        key=key,
                        item_id=problem.item_id,
                        warehouse_id=problem.warehouse_id,
                        lot_id=problem.lot_id,
                        on_date=problem.on_date,
                        quantity=problem.quantity,
                        last_seen=now,
                    )
                )
            else:
                alert.on_date, alert.quantity, alert.last_seen = problem.on_date, problem.quantity, now
                seen.append(alert)
        StockAlert.objects.bulk_create(new)
        for alert in new:
            emit(
                "stock.alert",
                {"kind": alert.kind, "item": alert.item_id, "warehouse": alert.warehouse_id, "on": alert.on_date},
            )
        StockAlert.objects.bulk_update(seen, ["on_date", "quantity", "last_seen"], batch_size=500)
        resolved = StockAlert.objects.filter(pk__in=[alert.pk for alert in live.values()]).update(
            status=Status.RESOLVED
        )
    return RefreshResult(created=len(new), updated=len(seen), resolved=resolved)


@transaction.atomic
def alert_acknowledge(*, actor, alert: StockAlert) -> StockAlert:
    """Mark an open alert as seen by `actor`; it stays acknowledged until its problem is gone."""
    alert = StockAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == Status.RESOLVED:
        raise ValidationError(
            _("This alert is already resolved: the problem is gone. Nothing was changed."),
            code="alert_already_resolved",
        )
    if alert.status == Status.ACKNOWLEDGED:
        by = alert.acknowledged_by
        raise ValidationError(
            _("%(user)s already acknowledged this alert on %(date)s; nothing was changed.")
            % {
                "user": by.get_full_name() or by.username,
                "date": date_format(timezone.localtime(alert.acknowledged_at), "SHORT_DATETIME_FORMAT"),
            },
            code="alert_already_acknowledged",
        )
    alert.status = Status.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert
