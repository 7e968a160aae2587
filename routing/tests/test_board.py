"""The planner's changes to a stored plan: moving and reordering stops with warnings, locks, publish, unpublish."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory, tomorrow
from delivery.models import Round, Stop
from delivery.selectors import driver_next_round
from delivery.services import round_start, stop_mark_delivered
from inventory.tests.factories import WarehouseFactory
from logistics.models import DeliveryOrder, Vehicle
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from requests_intake.tests.factories import HouseholdFactory
from routing.adapter import location
from routing.board import (
    round_warnings,
    run_publish,
    run_unpublish,
    run_warnings,
    stop_lock,
    stop_move,
)
from routing.board_selectors import board_rounds
from routing.models import PlanningRun
from routing.travel import travel_matrices
from tests.scenarios import approved_order, day_from_today

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def _at(hour: int, minute: int = 0, date: dt.date | None = None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date or tomorrow(), dt.time(hour, minute)))


def _round(run, van, orders, *, date=None) -> Round:
    """A round written as planning writes it, stops ten minutes apart from 9:10 (the board re-times it)."""
    round_ = Round.objects.create(
        run=run,
        date=date or run.date,
        vehicle=van,
        driver=van.driver,
        depot=van.depot,
        start_at=_at(9, 0, date or run.date),
        end_at=_at(10, 0, date or run.date),
        distance_m=1000,
    )
    for sequence, order in enumerate(orders, start=1):
        Stop.objects.create(
            round=round_, order=order, sequence=sequence, arrival_at=_at(9, 10 * sequence, date or run.date)
        )
    return round_


@pytest.fixture
def draft(role_users):
    """A draft for tomorrow: van A carries orders 0 and 1, van B order 2; B's driver has an e-mail address."""
    orders = [
        approved_order(role_users, household=HouseholdFactory(latitude=f"37.60{i}000", longitude="-0.985000"))[0]
        for i in range(3)
    ]
    warehouse = orders[0].warehouse
    second_driver = UserFactory(username="conductora", email="conductora@example.org", first_name="Lola")
    second_driver.groups.set(role_users["driver"].groups.all())
    van_a = VehicleFactory(depot=warehouse, driver=role_users["driver"], name="Furgoneta A")
    van_b = VehicleFactory(depot=warehouse, driver=second_driver, name="Furgoneta B")
    run = PlanningRun.objects.create(
        date=tomorrow(),
        requested_by=role_users["logistics_planner"],
        status=PlanningRun.Status.DONE,
        publish_when_done=False,
        progress=100,
    )
    round_a = _round(run, van_a, orders[:2])
    round_b = _round(run, van_b, orders[2:])
    return {"run": run, "orders": orders, "a": round_a, "b": round_b, "driver_b": second_driver}


def _sequence(round_: Round) -> list[int]:
    return list(round_.stops.order_by("sequence").values_list("order_id", flat=True))


def _snapshot() -> list[tuple]:
    return list(Stop.objects.order_by("pk").values_list("pk", "round", "sequence", "arrival_at", "locked"))


# --- Moving and reordering ------------------------------------------------------------------------------------


def test_reordering_a_round_renumbers_it_and_times_it_as_the_solver_would(role_users, draft):
    first, second = draft["orders"][:2]
    round_a = draft["a"]

    warnings = stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=second), to_round=round_a, position=1
    )

    assert warnings == []
    assert _sequence(round_a) == [second.pk, first.pk]
    depot, here, there = round_a.depot, second.household, first.household
    distance, duration = travel_matrices([location(depot), location(here), location(there)])
    service = django_settings.ROUTING_SERVICE_TIME_S
    leaves = 9 * 3600  # the first window opens at 9:00, as the shift does: leave at the shift's start
    first_arrival = leaves + duration[0][1]
    second_arrival = first_arrival + service + duration[1][2]
    stops = list(round_a.stops.order_by("sequence"))
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time()))
    assert [s.arrival_at for s in stops] == [
        midnight + dt.timedelta(seconds=first_arrival),
        midnight + dt.timedelta(seconds=second_arrival),
    ]
    round_a.refresh_from_db()
    assert round_a.start_at == midnight + dt.timedelta(seconds=leaves)
    assert round_a.end_at == midnight + dt.timedelta(seconds=second_arrival + service + duration[2][0])
    assert round_a.distance_m == distance[0][1] + distance[1][2] + distance[2][0]


def test_moving_a_stop_to_another_round_renumbers_both_and_recounts_the_distance(role_users, draft):
    orders, round_a, round_b, run = draft["orders"], draft["a"], draft["b"], draft["run"]

    stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=orders[0]), to_round=round_b, position=2
    )

    assert _sequence(round_a) == [orders[1].pk]
    assert _sequence(round_b) == [orders[2].pk, orders[0].pk]
    round_a.refresh_from_db()
    round_b.refresh_from_db()
    run.refresh_from_db()
    assert run.total_distance_m == round_a.distance_m + round_b.distance_m
    assert list(round_b.stops.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]


def test_the_last_stop_leaving_a_round_leaves_it_empty_at_the_shift_start(role_users, draft):
    orders, round_a, round_b = draft["orders"], draft["a"], draft["b"]

    stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=orders[2]), to_round=round_a, position=3
    )

    round_b.refresh_from_db()
    assert (round_b.stops.count(), round_b.distance_m, round_b.start_at, round_b.end_at) == (0, 0, _at(9), _at(9))
    assert _sequence(round_a) == [orders[0].pk, orders[1].pk, orders[2].pk]


def test_a_move_that_arrives_after_the_window_returns_a_warning(role_users, draft):
    orders, round_a = draft["orders"], draft["a"]
    DeliveryOrder.objects.filter(pk=orders[0].pk).update(window_start=dt.time(9, 0), window_end=dt.time(9, 5))
    name = orders[0].household.full_name

    warnings = stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=orders[0]), to_round=round_a, position=2
    )

    arrival = timezone.localtime(Stop.objects.get(order=orders[0]).arrival_at).strftime("%H:%M")
    assert warnings == [
        f"Furgoneta A: Stop 2, {name}: arrives at {arrival}, after its window closes at 09:05.",
    ]


def test_a_move_that_overloads_the_van_or_ends_after_the_shift_returns_warnings(role_users, draft):
    orders, round_b = draft["orders"], draft["b"]
    van_b = round_b.vehicle
    type(van_b).objects.filter(pk=van_b.pk).update(capacity_kg=3, capacity_l=3, capacity_packs=1)
    type(van_b).objects.filter(pk=van_b.pk).update(shift_end=dt.time(9, 20))

    warnings = stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=orders[0]), to_round=round_b, position=1
    )

    round_b.refresh_from_db()
    back = timezone.localtime(round_b.end_at).strftime("%H:%M")
    assert warnings == [  # each order is a pack of two 1 kg, 1 l items
        "Furgoneta B: Over capacity: 4.0 kg on a van that carries 3 kg.",
        "Furgoneta B: Over capacity: 4.0 l on a van that carries 3 l.",
        "Furgoneta B: Over capacity: 2 packs on a van that carries 1.",
        f"Furgoneta B: Back at the depot at {back}, after the shift ends at 09:20.",
    ]
    assert round_warnings(round_b) == [w.removeprefix("Furgoneta B: ") for w in warnings]


def test_the_shift_in_the_warnings_is_the_drivers_when_shorter_than_the_vans(role_users, draft):
    from logistics.models import DriverShift

    orders, round_b = draft["orders"], draft["b"]
    DriverShift.objects.create(
        driver=draft["driver_b"], weekday=tomorrow().weekday(), start=dt.time(9, 0), end=dt.time(9, 15)
    )

    warnings = stop_move(
        actor=role_users["logistics_planner"], stop=Stop.objects.get(order=orders[0]), to_round=round_b, position=2
    )

    assert len(warnings) == 1
    assert warnings[0].endswith("after the shift ends at 09:15.")


def _refused(role_users, stop, to_round, position, code):
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        stop_move(actor=role_users["logistics_planner"], stop=stop, to_round=to_round, position=position)
    assert refused.value.code == code
    assert _snapshot() == before


@pytest.mark.parametrize("position", [0, 3])
def test_a_position_outside_the_round_is_refused(role_users, draft, position):
    stop = Stop.objects.get(order=draft["orders"][0])
    _refused(role_users, stop, draft["b"], position, "position_out_of_range")


@pytest.mark.parametrize("position", ["1", 1.0, True, None])
def test_a_position_that_is_not_a_whole_number_is_refused(role_users, draft, position):
    stop = Stop.objects.get(order=draft["orders"][0])
    _refused(role_users, stop, draft["b"], position, "position_not_whole")


def test_a_recorded_stop_cannot_be_moved(role_users, draft):
    stop = Stop.objects.get(order=draft["orders"][0])
    Stop.objects.filter(pk=stop.pk).update(outcome=Stop.Outcome.DELIVERED, recorded_at=timezone.now())
    _refused(role_users, stop, draft["b"], 1, "stop_already_recorded")


def test_a_stop_out_for_delivery_cannot_be_moved(role_users, draft):
    stop = Stop.objects.get(order=draft["orders"][0])
    DeliveryOrder.objects.filter(pk=stop.order_id).update(status=S.OUT_FOR_DELIVERY)
    _refused(role_users, stop, draft["b"], 1, "stop_van_left")


def test_nothing_moves_onto_a_van_that_has_left(role_users, draft):
    DeliveryOrder.objects.filter(pk=draft["orders"][2].pk).update(status=S.OUT_FOR_DELIVERY)
    _refused(role_users, Stop.objects.get(order=draft["orders"][0]), draft["b"], 1, "round_van_left")


def test_a_stop_moves_only_between_rounds_of_its_day(role_users, draft):
    other_day = PlanningRun.objects.create(
        date=day_from_today(2), requested_by=role_users["logistics_planner"], status="done"
    )
    elsewhere = _round(other_day, draft["b"].vehicle, [])
    _refused(role_users, Stop.objects.get(order=draft["orders"][0]), elsewhere, 1, "round_other_day")


def test_a_stop_never_moves_onto_a_round_of_another_plan(role_users, draft):
    older = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status="done")
    stale = _round(older, draft["b"].vehicle, [])
    _refused(role_users, Stop.objects.get(order=draft["orders"][0]), stale, 1, "round_other_plan")


def test_a_stop_never_moves_onto_a_van_of_another_depot(role_users, draft):
    north = WarehouseFactory(code="norte", name="Almacén norte")
    van = VehicleFactory(depot=north)
    far = _round(draft["run"], van, [])
    _refused(role_users, Stop.objects.get(order=draft["orders"][0]), far, 1, "depot_mismatch")


def test_a_published_plan_is_not_edited(role_users, draft):
    PlanningRun.objects.filter(pk=draft["run"].pk).update(published_at=timezone.now())
    _refused(role_users, Stop.objects.get(order=draft["orders"][0]), draft["b"], 1, "plan_published")


# --- Locks and stored warnings ----------------------------------------------------------------------------------


def test_a_stop_is_locked_and_unlocked(role_users, draft):
    stop = Stop.objects.get(order=draft["orders"][0])

    assert stop_lock(actor=role_users["logistics_planner"], stop=stop, locked=True).locked is True
    stop.refresh_from_db()
    assert stop.locked is True
    stop_lock(actor=role_users["logistics_planner"], stop=stop, locked=False)
    stop.refresh_from_db()
    assert stop.locked is False


def test_a_lock_that_is_not_yes_or_no_is_refused(role_users, draft):
    stop = Stop.objects.get(order=draft["orders"][0])

    with pytest.raises(ValidationError) as refused:
        stop_lock(actor=role_users["logistics_planner"], stop=stop, locked="yes")
    assert refused.value.code == "locked_not_boolean"

    stop.refresh_from_db()
    assert stop.locked is False


def test_the_runs_warnings_come_from_the_stored_plan_for_every_round(role_users, draft, django_assert_max_num_queries):
    late = Stop.objects.get(order=draft["orders"][1])
    Stop.objects.filter(pk=late.pk).update(arrival_at=_at(14, 30))
    name = late.order.household.full_name

    with django_assert_max_num_queries(10):
        warnings = run_warnings(draft["run"])

    assert warnings == {
        draft["a"].pk: [f"Stop 2, {name}: arrives at 14:30, after its window closes at 14:00."],
        draft["b"].pk: [],
    }


def test_the_board_warns_from_plain_rows_exactly_as_the_services_warn_from_loaded_stops(role_users, draft):
    late = Stop.objects.get(order=draft["orders"][1])
    Stop.objects.filter(pk=late.pk).update(arrival_at=_at(14, 30))
    Vehicle.objects.filter(pk=draft["a"].vehicle_id).update(capacity_packs=1)
    name = late.order.household.full_name

    shown = board_rounds(draft["run"], set())

    assert {row["round"].pk: row["warnings"] for row in shown} == run_warnings(draft["run"])
    assert run_warnings(draft["run"])[draft["a"].pk] == [
        f"Stop 2, {name}: arrives at 14:30, after its window closes at 14:00.",
        "Over capacity: 2 packs on a van that carries 1.",
    ]


# --- Publishing -----------------------------------------------------------------------------------------------


def test_publishing_plans_the_orders_tells_households_and_drivers_and_writes_the_paperwork(
    role_users, draft, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://reparto.example.org/"
    planner = role_users["logistics_planner"]

    with django_capture_on_commit_callbacks(execute=True):
        run = run_publish(actor=planner, run=draft["run"])

    run.refresh_from_db()
    assert (run.published_by, run.published_at is not None) == (planner, True)
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {S.PLANNED}
    told = Notification.objects.filter(event="scheduled").order_by("pk")
    assert [n.request_id for n in told] == [o.plan.request_id for o in draft["orders"]]
    assert "08:40–09:40" in told[0].body  # arriving at 09:10: the window is half an hour either side
    # Only the second driver has an e-mail address.
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["conductora@example.org"]
    assert "Furgoneta B" in mail.body
    assert "at 09:00 with 1 stop." in mail.body
    assert f"https://reparto.example.org{reverse('driver_round')}" in mail.body
    assert any((settings.MANIFEST_DIR / tomorrow().isoformat()).glob(f"run{run.pk}-*-route.pdf"))
    assert driver_next_round(role_users["driver"], timezone.localdate()) == draft["a"]


def test_drivers_are_written_to_in_the_sites_language(
    role_users, draft, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from django.utils import translation
    from django.utils.formats import date_format

    settings.LANGUAGE_CODE = "es"

    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=role_users["logistics_planner"], run=draft["run"])

    with translation.override("es"):
        spanish_date = date_format(tomorrow(), "DATE_FORMAT")
    assert spanish_date in mailoutbox[0].body
    assert f"{settings.SITE_URL.rstrip('/')}{reverse('driver_round')}" in mailoutbox[0].body


def _refused_publish(role_users, run, code):
    statuses = sorted(DeliveryOrder.objects.values_list("pk", "status"))
    with pytest.raises(ValidationError) as refused:
        run_publish(actor=role_users["logistics_planner"], run=run)
    assert refused.value.code == code
    run.refresh_from_db()
    assert run.published_at is None
    assert sorted(DeliveryOrder.objects.values_list("pk", "status")) == statuses
    assert not Notification.objects.filter(event="scheduled").exists()


def test_a_plan_that_is_not_done_cannot_be_published(role_users, draft):
    PlanningRun.objects.filter(pk=draft["run"].pk).update(status=PlanningRun.Status.FAILED)
    _refused_publish(role_users, draft["run"], "plan_not_finished")


def test_a_plan_is_published_once(role_users, draft):
    run_publish(actor=role_users["logistics_planner"], run=draft["run"])
    before = Notification.objects.count()

    with pytest.raises(ValidationError) as refused:
        run_publish(actor=role_users["logistics_planner"], run=draft["run"])
    assert refused.value.code == "plan_already_published"

    assert Notification.objects.count() == before


def test_a_past_days_plan_cannot_be_published(role_users, draft):
    PlanningRun.objects.filter(pk=draft["run"].pk).update(date=day_from_today(-1))
    _refused_publish(role_users, draft["run"], "plan_day_past")


def test_only_the_days_latest_plan_can_be_published(role_users, draft):
    PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status="done")
    _refused_publish(role_users, draft["run"], "plan_replaced")


def test_a_plan_cannot_be_published_while_the_day_is_planned_again(role_users, draft):
    PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status="running")
    _refused_publish(role_users, draft["run"], "plan_being_replanned")


def test_a_newer_failed_run_leaves_the_plan_publishable(role_users, draft):
    PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status="failed")

    run_publish(actor=role_users["logistics_planner"], run=draft["run"])

    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {S.PLANNED}


# --- Unpublishing ---------------------------------------------------------------------------------------------


def test_unpublishing_takes_the_plan_back_to_a_draft(role_users, draft):
    run = run_publish(actor=role_users["logistics_planner"], run=draft["run"])

    run = run_unpublish(actor=role_users["logistics_planner"], run=run)

    run.refresh_from_db()
    assert (run.published_at, run.published_by) == (None, None)
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {S.RESERVED}
    assert driver_next_round(role_users["driver"], timezone.localdate()) is None


def test_publishing_again_tells_no_household_whose_day_and_window_did_not_change(role_users, draft):
    planner = role_users["logistics_planner"]
    run = run_unpublish(actor=planner, run=run_publish(actor=planner, run=draft["run"]))
    before = list(Notification.objects.filter(event="scheduled").order_by("pk").values_list("pk", flat=True))

    run_publish(actor=planner, run=run)

    assert len(before) == 3
    assert list(Notification.objects.filter(event="scheduled").order_by("pk").values_list("pk", flat=True)) == before


def test_publishing_again_tells_only_the_household_whose_window_moved(role_users, draft):
    planner = role_users["logistics_planner"]
    run = run_unpublish(actor=planner, run=run_publish(actor=planner, run=draft["run"]))
    moved = draft["orders"][2]
    Stop.objects.filter(order=moved).update(arrival_at=_at(11, 0))
    first = Notification.objects.filter(event="scheduled").count()

    run_publish(actor=planner, run=run)

    again = Notification.objects.filter(event="scheduled").order_by("pk")[first:]
    assert [n.request_id for n in again] == [moved.plan.request_id]
    assert "10:30–11:30" in again[0].body
    moved.refresh_from_db()
    assert (moved.told_date, moved.told_start, moved.told_end) == (tomorrow(), dt.time(10, 30), dt.time(11, 30))


def test_a_draft_cannot_be_unpublished(role_users, draft):
    with pytest.raises(ValidationError) as refused:
        run_unpublish(actor=role_users["logistics_planner"], run=draft["run"])
    assert refused.value.code == "plan_not_published"


def test_a_plan_cannot_be_taken_back_once_a_van_has_left(role_users, draft):
    run = run_publish(actor=role_users["logistics_planner"], run=draft["run"])
    round_start(actor=role_users["driver"], round_=draft["a"])

    with pytest.raises(ValidationError) as refused:
        run_unpublish(actor=role_users["logistics_planner"], run=run)
    assert refused.value.code == "plan_day_started"

    run.refresh_from_db()
    assert run.published_at is not None
    assert DeliveryOrder.objects.get(pk=draft["orders"][2].pk).status == S.PLANNED


def test_a_plan_cannot_be_taken_back_once_a_delivery_is_recorded(role_users, draft):
    run = run_publish(actor=role_users["logistics_planner"], run=draft["run"])
    stop_mark_delivered(actor=role_users["driver"], stop=Stop.objects.get(order=draft["orders"][0]))

    with pytest.raises(ValidationError) as refused:
        run_unpublish(actor=role_users["logistics_planner"], run=run)
    assert refused.value.code == "plan_day_started"

    run.refresh_from_db()
    assert run.published_at is not None
