"""Changing an order after approval: ledger, order status, round and messages always agree, and a refusal leaves
all four as they were."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from delivery.services import round_start, stop_mark_delivered
from inventory.models import Reservation
from inventory.tests.factories import pack_with
from logistics.changes import (
    order_call_off,
    order_change_packs,
    order_reschedule,
    order_switch_mode,
    plan_end,
)
from logistics.models import DeliveryOrder, LocalHoliday
from logistics.tests.factories import VehicleFactory
from requests_intake.decisions import aid_request_approve
from requests_intake.models import Notification
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


@pytest.fixture
def two_stops(role_users):
    """One published round of tomorrow with two stops (10 units on hand, 2 held per order)."""
    first, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=HouseholdFactory(latitude=Decimal("37.630000"), longitude=Decimal("-0.990000")),
        channel="phone",
        needs=["food"],
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(first.lines.get().pack, 1)],
        priority=1,
        first_delivery_on=tomorrow(),
    )
    second = plan.orders.get()
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    return {"orders": [first, second], "item": item, "run": run, "round": Round.objects.get()}


def _stock_is_consistent() -> None:
    call_command("check_stock")  # exits 1 (SystemExit) on any difference


def _state(order: DeliveryOrder) -> tuple:
    order.refresh_from_db()
    holds = sorted(Reservation.objects.filter(order=order).values_list("status", "quantity"))
    return (
        order.status,
        order.due_date,
        order.mode,
        order.cancel_reason,
        holds,
        list(order.stops.values_list("round", "sequence")),
        Notification.objects.filter(request=order.plan.request).count(),
    )


def _refused(code: str, change, order: DeliveryOrder) -> None:
    before = _state(order)
    stops_before = list(Stop.objects.order_by("pk").values_list("pk", "sequence", "arrival_at"))
    with pytest.raises(ValidationError) as refusal:
        change()
    assert refusal.value.code == code
    assert _state(order) == before
    assert list(Stop.objects.order_by("pk").values_list("pk", "sequence", "arrival_at")) == stops_before


def test_cancelling_a_planned_order_takes_its_stop_off_gives_the_stock_back_and_tells_the_household(
    role_users, two_stops
):
    first, second = two_stops["orders"]
    gone = Stop.objects.get(order=first)
    kept = Stop.objects.get(order=second)
    planner = role_users["logistics_planner"]

    order_call_off(actor=planner, order=first, reason=DeliveryOrder.CancelReason.HOUSEHOLD_AWAY)

    first.refresh_from_db()
    assert (first.status, first.cancel_reason) == (S.CANCELLED, "household_away")
    assert list(Reservation.objects.filter(order=first).values_list("status", flat=True)) == ["released"]
    assert list(Stop.objects.values_list("order", "sequence")) == [(second.pk, 1)]
    round_ = Round.objects.get()
    kept.refresh_from_db()
    assert round_.start_at <= kept.arrival_at < round_.end_at
    assert PlanningRun.objects.get().total_distance_m == round_.distance_m
    told = Notification.objects.filter(request=first.plan.request, event=Notification.Event.CANCELLED).get()
    assert "(La unidad familiar está ausente)" in told.body  # the household reads Spanish
    assert Stop.history.filter(id=gone.pk, history_type="-").count() == 1
    assert first.history.first().status == S.CANCELLED
    _stock_is_consistent()


def test_rescheduling_a_planned_order_moves_it_off_the_round_and_takes_its_stock_for_the_new_day(role_users, two_stops):
    first, second = two_stops["orders"]
    new_day = tomorrow() + dt.timedelta(days=3)

    order_reschedule(
        actor=role_users["logistics_planner"],
        order=first,
        due_date=new_day,
        window_start=dt.time(10, 0),
        window_end=dt.time(12, 0),
    )

    first.refresh_from_db()
    assert (first.status, first.due_date, first.window_start, first.window_end) == (
        S.RESERVED,
        new_day,
        dt.time(10, 0),
        dt.time(12, 0),
    )
    assert sorted(Reservation.objects.filter(order=first).values_list("status", "quantity")) == [
        ("active", 2),
        ("released", 2),
    ]
    assert list(Stop.objects.values_list("order", flat=True)) == [second.pk]
    told = Notification.objects.get(request=first.plan.request, event=Notification.Event.RESCHEDULED)
    # The last paragraph is the status page link every message ends with.
    assert told.body.rpartition("\n\n")[0].endswith("entre las 10:00 y las 12:00.")
    _stock_is_consistent()


def test_switching_to_collection_at_the_depot_takes_the_stop_off_and_keeps_the_stock_held(role_users, two_stops):
    first, _second = two_stops["orders"]

    order_switch_mode(actor=role_users["logistics_planner"], order=first, mode=DeliveryOrder.Mode.PICKUP)

    first.refresh_from_db()
    assert (first.status, first.mode, first.due_date) == (S.RESERVED, DeliveryOrder.Mode.PICKUP, tomorrow())
    assert Reservation.objects.filter(order=first, status="active").count() == 1
    assert not Stop.objects.filter(order=first).exists()
    _stock_is_consistent()


def test_changing_packs_releases_the_old_holds_and_reserves_the_new_packs(role_users, two_stops):
    first, _second = two_stops["orders"]
    bigger = pack_with({two_stops["item"]: 3})

    order_change_packs(actor=role_users["logistics_planner"], order=first, packs={bigger.pk: 2})

    first.refresh_from_db()
    assert list(first.lines.values_list("pack", "quantity")) == [(bigger.pk, 2)]
    assert sorted(Reservation.objects.filter(order=first).values_list("status", "quantity")) == [
        ("active", 6),
        ("released", 2),
    ]
    assert first.status == S.PLANNED
    assert Stop.objects.filter(order=first).count() == 1
    _stock_is_consistent()


def test_changing_packs_beyond_the_stock_is_refused_and_changes_nothing(role_users, two_stops):
    first, _second = two_stops["orders"]
    huge = pack_with({two_stops["item"]: 50})
    lines_before = list(first.lines.values_list("pack", "quantity"))

    _refused(
        "insufficient_stock",
        lambda: order_change_packs(actor=role_users["logistics_planner"], order=first, packs={huge.pk: 1}),
        first,
    )
    assert list(first.lines.values_list("pack", "quantity")) == lines_before


@pytest.mark.parametrize(
    ("packs", "code"),
    [({}, "no_packs"), ({"PACK": 0}, "invalid_quantity"), ({999_999: 1}, "unknown_pack")],
)
def test_changing_packs_to_nothing_or_nonsense_is_refused(role_users, two_stops, packs, code):
    first, _second = two_stops["orders"]
    pack_id = first.lines.get().pack_id
    packs = {pack_id if key == "PACK" else key: value for key, value in packs.items()}

    _refused(code, lambda: order_change_packs(actor=role_users["logistics_planner"], order=first, packs=packs), first)


def test_a_delivered_stop_cannot_be_changed(role_users, two_stops):
    first, _second = two_stops["orders"]
    stop_mark_delivered(actor=role_users["driver"], stop=Stop.objects.get(order=first))
    planner = role_users["logistics_planner"]

    _refused("stop_visited", lambda: order_call_off(actor=planner, order=first, reason="other"), first)
    _refused(
        "stop_visited",
        lambda: order_reschedule(actor=planner, order=first, due_date=tomorrow() + dt.timedelta(days=1)),
        first,
    )


def test_an_order_on_a_van_that_has_left_cannot_be_changed(role_users, two_stops):
    first, _second = two_stops["orders"]
    round_start(actor=role_users["driver"], round_=two_stops["round"])

    _refused(
        "stop_visited",
        lambda: order_call_off(actor=role_users["logistics_planner"], order=first, reason="household_request"),
        first,
    )


def test_a_cancelled_order_cannot_be_cancelled_again(role_users, two_stops):
    first, _second = two_stops["orders"]
    planner = role_users["logistics_planner"]
    order_call_off(actor=planner, order=first, reason="duplicate")

    _refused("order_cancelled", lambda: order_call_off(actor=planner, order=first, reason="duplicate"), first)


@pytest.mark.parametrize("reason", ["", "because", "CANCELLED"])
def test_cancelling_without_a_known_reason_is_refused(role_users, two_stops, reason):
    first, _second = two_stops["orders"]

    _refused(
        "invalid_cancel_reason",
        lambda: order_call_off(actor=role_users["logistics_planner"], order=first, reason=reason),
        first,
    )


@pytest.mark.parametrize(
    ("days", "start", "end", "code"),
    [
        (-2, None, None, "date_passed"),
        (2, dt.time(12, 0), dt.time(11, 0), "window_order"),
        (0, None, None, "unchanged"),
    ],
)
def test_a_reschedule_to_a_past_day_an_empty_window_or_the_same_day_is_refused(
    role_users, two_stops, days, start, end, code
):
    first, _second = two_stops["orders"]
    day = tomorrow() + dt.timedelta(days=days)

    _refused(
        code,
        lambda: order_reschedule(
            actor=role_users["logistics_planner"], order=first, due_date=day, window_start=start, window_end=end
        ),
        first,
    )


def test_a_reschedule_onto_a_local_holiday_is_refused(role_users, two_stops):
    first, _second = two_stops["orders"]
    holiday = tomorrow() + dt.timedelta(days=2)
    LocalHoliday.objects.create(date=holiday, name="Fiestas")

    _refused(
        "holiday",
        lambda: order_reschedule(actor=role_users["logistics_planner"], order=first, due_date=holiday),
        first,
    )


def test_ending_a_plan_cancels_its_open_orders_stops_its_repeats_and_tells_the_household_once(role_users, two_stops):
    first, second = two_stops["orders"]

    cancelled = plan_end(actor=role_users["social_worker"], plan=first.plan)

    assert [order.pk for order in cancelled] == [first.pk]
    first.refresh_from_db()
    first.plan.refresh_from_db()
    assert (first.status, first.cancel_reason, first.plan.repeat_until) == (
        S.CANCELLED,
        "plan_ended",
        timezone.localdate(),
    )
    assert Notification.objects.filter(request=first.plan.request, event="cancelled").count() == 1
    assert list(Stop.objects.values_list("order", flat=True)) == [second.pk]
    _stock_is_consistent()
