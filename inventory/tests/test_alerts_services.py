"""Stock alerts: one per problem however often they are refreshed, resolved when fixed, acknowledged by a person."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from config.celery import app
from inventory.alerts import alert_acknowledge, alerts_refresh
from inventory.models import StockAlert
from inventory.tasks import alerts_refresh_task
from logistics.models import DeliveryOrder
from tests.scenarios import day_from_today as day
from tests.scenarios import stock_received as receive

pytestmark = pytest.mark.django_db

Kind = StockAlert.Kind
Status = StockAlert.Status


def live_alerts():
    return sorted(
        (alert.kind, alert.on_date, alert.quantity, alert.status)
        for alert in StockAlert.objects.exclude(status=Status.RESOLVED)
    )


def test_each_kind_of_problem_raises_its_alert(role_users, short_item):
    item, warehouse, _order = short_item
    receive(role_users, item, warehouse, "SOON", 4, expiry=day(5))
    receive(role_users, item, warehouse, "GONE", 3, expiry=day(-2), received_on=day(-20))

    result = alerts_refresh()

    # Reorder point = 10 due inside the default 7-day lead time + safety 2 = 12 > available 6 + 4 usable = 10.
    # No shortfall: the 10 due on day 3 take SOON's 4 first (before it expires on day 5), then 6 of L1: 0 left.
    assert live_alerts() == sorted(
        [
            (Kind.LOW_STOCK, day(0), 10, Status.OPEN),
            (Kind.NEAR_EXPIRY, day(5), 4, Status.OPEN),
            (Kind.EXPIRED, day(-2), 3, Status.OPEN),
        ]
    )
    assert (result.created, result.updated, result.resolved) == (3, 0, 0)


def test_a_projected_shortfall_carries_the_date_stock_runs_out(short_item):
    alerts_refresh()

    shortfall = StockAlert.objects.get(kind=Kind.SHORTFALL)
    assert (shortfall.on_date, shortfall.quantity, shortfall.status) == (day(3), 4, Status.OPEN)


def test_refreshing_twice_keeps_one_alert_per_problem(short_item):
    alerts_refresh()
    first = {alert.key: (alert.pk, alert.last_seen) for alert in StockAlert.objects.all()}

    result = alerts_refresh()

    again = {alert.key: (alert.pk, alert.last_seen) for alert in StockAlert.objects.all()}
    assert again.keys() == first.keys()
    assert len(again) == 2  # low stock and shortfall
    assert all(again[key][0] == first[key][0] and again[key][1] > first[key][1] for key in first)
    assert (result.created, result.updated, result.resolved) == (0, 2, 0)


def test_an_alert_is_resolved_when_its_problem_is_gone(role_users, short_item):
    item, warehouse, _order = short_item
    alerts_refresh()

    receive(role_users, item, warehouse, "TOP-UP", 20)
    result = alerts_refresh()

    assert live_alerts() == []
    assert StockAlert.objects.filter(status=Status.RESOLVED).count() == 2
    assert (result.created, result.updated, result.resolved) == (0, 0, 2)


def test_an_acknowledged_alert_stays_acknowledged_while_the_problem_lasts(role_users, short_item):
    item, warehouse, order = short_item
    alerts_refresh()
    coordinator = role_users["supplier_coordinator"]
    shortfall = StockAlert.objects.get(kind=Kind.SHORTFALL)

    alert_acknowledge(actor=coordinator, alert=shortfall)
    order.lines.update(quantity=12)  # the problem grows, but it is the same problem
    alerts_refresh()

    shortfall.refresh_from_db()
    assert (shortfall.status, shortfall.acknowledged_by, shortfall.quantity) == (Status.ACKNOWLEDGED, coordinator, 6)
    assert StockAlert.objects.filter(kind=Kind.SHORTFALL).count() == 1


def test_a_problem_that_comes_back_after_being_resolved_is_a_new_open_alert(role_users, short_item):
    item, warehouse, order = short_item
    alerts_refresh()
    old = StockAlert.objects.get(kind=Kind.SHORTFALL)
    alert_acknowledge(actor=role_users["supplier_coordinator"], alert=old)
    DeliveryOrder.objects.filter(pk=order.pk).update(status=DeliveryOrder.Status.CANCELLED)
    alerts_refresh()
    DeliveryOrder.objects.filter(pk=order.pk).update(status=DeliveryOrder.Status.PENDING)

    alerts_refresh()

    old.refresh_from_db()
    new = StockAlert.objects.get(kind=Kind.SHORTFALL, status=Status.OPEN)
    assert old.status == Status.RESOLVED
    assert new.pk != old.pk
    assert new.key == old.key


def test_acknowledging_a_resolved_alert_is_refused_and_changes_nothing(role_users, short_item):
    item, warehouse, _order = short_item
    alerts_refresh()
    receive(role_users, item, warehouse, "TOP-UP", 20)
    alerts_refresh()
    resolved = StockAlert.objects.filter(status=Status.RESOLVED).first()

    with pytest.raises(ValidationError) as refused:
        alert_acknowledge(actor=role_users["supplier_coordinator"], alert=resolved)
    assert refused.value.code == "alert_already_resolved"

    resolved.refresh_from_db()
    assert (resolved.status, resolved.acknowledged_by, resolved.acknowledged_at) == (Status.RESOLVED, None, None)


def test_acknowledging_twice_is_refused_and_keeps_the_first_acknowledgement(role_users, short_item):
    alerts_refresh()
    alert = StockAlert.objects.get(kind=Kind.LOW_STOCK)
    alert_acknowledge(actor=role_users["supplier_coordinator"], alert=alert)
    alert.refresh_from_db()
    first_at = alert.acknowledged_at

    with pytest.raises(ValidationError) as refused:
        alert_acknowledge(actor=role_users["manager"], alert=alert)
    assert refused.value.code == "alert_already_acknowledged"

    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_at) == (role_users["supplier_coordinator"], first_at)


def test_the_daily_beat_entry_runs_a_registered_task_at_six_local_time():
    entry = settings.CELERY_BEAT_SCHEDULE["inventory-alerts-refresh"]
    schedule = entry["schedule"]

    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].name == alerts_refresh_task.name
    assert (schedule.hour, schedule.minute) == ({6}, {0})


def test_the_task_refreshes_the_alerts_for_the_given_day(short_item):
    assert alerts_refresh_task.delay(day(0).isoformat()).get() == {"created": 2, "updated": 0, "resolved": 0}
    # Four days on, the order is overdue and still short: stock runs out "today".
    alerts_refresh_task.delay(day(4).isoformat())
    assert StockAlert.objects.get(kind=Kind.SHORTFALL, status=Status.OPEN).on_date == day(4)


def test_a_donation_that_covers_the_need_closes_the_alerts_at_once(
    role_users, short_item, django_capture_on_commit_callbacks
):
    from inventory.purchasing import donation_receive
    from inventory.tests.factories import DonorFactory

    item, warehouse, _order = short_item
    alerts_refresh()
    assert {alert.kind for alert in StockAlert.objects.filter(status=Status.OPEN)} == {Kind.LOW_STOCK, Kind.SHORTFALL}

    with django_capture_on_commit_callbacks(execute=True):
        donation_receive(
            actor=role_users["supplier_coordinator"],
            donor=DonorFactory(),
            warehouse=warehouse,
            received_on=day(0),
            lines=[(item, 20, "DON-1", None)],
        )

    assert live_alerts() == []
    assert set(StockAlert.objects.values_list("status", flat=True)) == {Status.RESOLVED}
