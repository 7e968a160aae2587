"""Planning a day from the database: replacing a plan, refusing to re-plan a started day, failures on record;
the planning page is tested in test_planning_pages.py."""

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from delivery.services import stop_mark_delivered
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun, UnplacedOrder
from routing.services import planning_run_execute, planning_run_start
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


def test_planning_again_replaces_the_previous_rounds(role_users, django_capture_on_commit_callbacks):
    first = planned_stop(role_users)

    with django_capture_on_commit_callbacks(execute=True):
        run = planning_run_start(actor=role_users["logistics_planner"], date=tomorrow())

    assert Round.objects.get().run == PlanningRun.objects.get(pk=run.pk)
    assert Stop.objects.get().order == first.order
    assert not Stop.objects.filter(pk=first.pk).exists()


def test_a_day_with_recorded_deliveries_cannot_be_planned_again(role_users):
    stop = planned_stop(role_users)
    stop_mark_delivered(actor=role_users["driver"], stop=stop)

    with pytest.raises(ValidationError) as refused:
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow())
    assert refused.value.code == "day_started"

    assert PlanningRun.objects.count() == 1


def test_an_order_without_coordinates_is_left_out_with_its_reason(role_users):
    order, _item, warehouse = approved_order(role_users, household=HouseholdFactory(latitude=None, longitude=None))
    VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert list(UnplacedOrder.objects.values_list("order", "reason")) == [(order.pk, "no_location")]
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED  # still reserved: it waits for a corrected address


def test_an_order_short_of_stock_is_listed_as_left_out_not_planned(role_users):
    order, _item, warehouse = approved_order(role_users, on_hand=1, per_pack=2)
    VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert list(UnplacedOrder.objects.values_list("order", "reason")) == [(order.pk, "stock_short")]
    assert Stop.objects.count() == 0


def test_running_a_finished_plan_again_changes_nothing(role_users):
    stop = planned_stop(role_users)

    planning_run_execute(run_id=stop.round.run_id)

    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]


def test_an_order_rides_only_on_a_van_from_the_depot_holding_its_stock(role_users):
    from inventory.tests.factories import WarehouseFactory

    order, _item, home = approved_order(role_users)
    other = WarehouseFactory(code="norte", name="Almacén norte", latitude="37.602000", longitude="-0.982000")
    VehicleFactory(depot=other)  # nearer to the household, but holds none of its stock
    VehicleFactory(depot=home)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert Stop.objects.get(order=order).round.depot == home


def test_an_order_whose_depot_has_no_van_is_explained_with_the_fix(role_users):
    from inventory.tests.factories import WarehouseFactory

    order, _item, home = approved_order(role_users)
    VehicleFactory(depot=WarehouseFactory(code="norte", name="Almacén norte"))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    unplaced = UnplacedOrder.objects.get()
    assert (unplaced.order, unplaced.reason) == (order, "missing_skill")
    assert unplaced.explanation == (
        f"No available van can take it. It needs a van based at {home.name}: make one available that day."
    )


def test_an_order_too_big_for_any_van_says_how_to_split_it(role_users):
    order, _item, warehouse = approved_order(role_users, on_hand=50, per_pack=30)  # 30 kg per pack
    VehicleFactory(depot=warehouse, capacity_kg=12)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert UnplacedOrder.objects.get().explanation == (
        "The packs weigh or take up more than any van can carry. Split it into 3 deliveries."
    )


def test_a_plan_the_checker_rejects_is_never_stored(role_users, monkeypatch):
    from routing import solver as solver_core
    from routing.services import InvalidPlan

    approved_order(role_users)
    VehicleFactory()

    def overloaded_plan(problem, **kwargs):
        stop = problem.stops[0]
        route = solver_core.Route(problem.vehicles[0].id, (solver_core.Visit(stop.id, 0, 0),), 0, 0, 0, stop.demand)
        return solver_core.Plan(routes=(route,))

    monkeypatch.setattr("routing.services.solve_large", overloaded_plan)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    with pytest.raises(InvalidPlan):
        planning_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED
    assert "leaves at 0, before its shift starts" in run.error
    assert "earlier than it can be reached" in run.error
    assert Round.objects.count() == 0


def test_fitting_orders_into_a_day_without_a_plan_is_refused(role_users):
    VehicleFactory()

    with pytest.raises(ValidationError) as refused:
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow(), kind=PlanningRun.Kind.INSERT)
    assert refused.value.code == "no_plan_to_fit"

    assert PlanningRun.objects.count() == 0


def test_a_failed_re_plan_leaves_the_previous_plan_in_place(role_users, monkeypatch):
    stop = planned_stop(role_users)

    def broken_solver(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("routing.services.solve_large", broken_solver)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    with pytest.raises(RuntimeError):
        planning_run_execute(run_id=run.pk)

    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]
    stop.order.refresh_from_db()
    assert stop.order.status == DeliveryOrder.Status.PLANNED


def test_an_order_the_full_vans_cannot_take_names_the_van_to_add_without_a_query(role_users, django_assert_num_queries):
    first, _item, warehouse = approved_order(role_users, on_hand=20, per_pack=2)  # 2 kg each
    second, _item2, _warehouse2 = approved_order(role_users, on_hand=20, per_pack=2)
    van = VehicleFactory(depot=warehouse, capacity_kg=3, name="Furgoneta pequeña")
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    unplaced = UnplacedOrder.objects.get()
    assert unplaced.reason == "no_capacity_today"
    with django_assert_num_queries(0):
        text = unplaced.explanation
    assert (
        text
        == f"The vans are full that day; the order waits for the next day. Add a van like {van.name}, or a second trip."
    )
    assert {first.pk, second.pk} == {unplaced.order_id, Stop.objects.get().order_id}


# --- Drafts and publishing at once ----------------------------------------------------------------------------


def _scheduled():
    from requests_intake.models import Notification

    return Notification.objects.filter(event="scheduled")


def test_a_draft_is_stored_with_its_orders_reserved_and_nobody_told(
    role_users, django_capture_on_commit_callbacks, settings
):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])

    with django_capture_on_commit_callbacks(execute=True):
        run = planning_run_start(actor=role_users["logistics_planner"], date=tomorrow(), publish=False)

    run.refresh_from_db()
    order.refresh_from_db()
    assert (run.status, run.publish_when_done, run.published_at, run.progress) == ("done", False, None, 100)
    assert Stop.objects.get().order == order
    assert order.status == DeliveryOrder.Status.RESERVED
    assert not _scheduled().exists()
    assert not (settings.MANIFEST_DIR / tomorrow().isoformat()).exists()  # paperwork comes with publishing


def test_a_plan_published_at_once_plans_its_orders_and_says_who_published_it(
    role_users, django_capture_on_commit_callbacks, settings
):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])

    with django_capture_on_commit_callbacks(execute=True):
        run = planning_run_start(actor=role_users["logistics_planner"], date=tomorrow())

    run.refresh_from_db()
    order.refresh_from_db()
    assert (run.publish_when_done, run.published_by) == (True, role_users["logistics_planner"])
    assert run.published_at is not None
    assert order.status == DeliveryOrder.Status.PLANNED
    assert list(_scheduled().values_list("request", flat=True)) == [order.plan.request_id]
    assert any((settings.MANIFEST_DIR / tomorrow().isoformat()).glob(f"run{run.pk}-*-route.pdf"))


def test_a_draft_for_a_published_day_is_refused_and_nothing_changes(role_users):
    stop = planned_stop(role_users)

    with pytest.raises(ValidationError) as refused:
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow(), publish=False)
    assert refused.value.code == "plan_published"

    assert PlanningRun.objects.count() == 1
    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]


def test_planning_a_draft_again_keeps_its_orders_on_the_new_draft(role_users):
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse)
    first = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=first.pk)
    second = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )

    planning_run_execute(run_id=second.pk)

    assert list(Stop.objects.values_list("order", "round__run")) == [(order.pk, second.pk)]
    assert not UnplacedOrder.objects.exists()
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED


def test_fitting_orders_into_a_draft_keeps_it_a_draft(role_users):
    first, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse)
    draft = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=draft.pk)
    late, _item2, _warehouse2 = approved_order(role_users, household=HouseholdFactory(latitude="37.606000"))
    insert = PlanningRun.objects.create(
        date=tomorrow(),
        requested_by=role_users["logistics_planner"],
        kind=PlanningRun.Kind.INSERT,
        publish_when_done=False,
    )

    planning_run_execute(run_id=insert.pk)

    assert set(Stop.objects.values_list("order", "round__run")) == {(first.pk, insert.pk), (late.pk, insert.pk)}
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}
    assert not _scheduled().exists()


def test_publishing_at_once_over_a_draft_tells_every_household_even_when_fitting_in(role_users):
    first, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse)
    draft = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=draft.pk)
    insert = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], kind=PlanningRun.Kind.INSERT
    )

    planning_run_execute(run_id=insert.pk)

    # Nobody had heard of the draft, so its household is told now too.
    assert list(_scheduled().values_list("request", flat=True)) == [first.plan.request_id]
    first.refresh_from_db()
    assert first.status == DeliveryOrder.Status.PLANNED


def test_pick_up_orders_never_ride_a_van_and_are_not_left_out(role_users):
    order, _item, warehouse = approved_order(role_users)
    DeliveryOrder.objects.filter(pk=order.pk).update(mode=DeliveryOrder.Mode.PICKUP)
    VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert (Stop.objects.count(), UnplacedOrder.objects.count()) == (0, 0)
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED


def test_an_order_on_the_next_days_draft_is_not_planned_on_another_day_too(role_users):
    from tests.scenarios import day_from_today

    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse)
    later = PlanningRun.objects.create(
        date=day_from_today(2), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=later.pk)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert list(Stop.objects.values_list("order", "round__date")) == [(order.pk, day_from_today(2))]
    assert not run.rounds.exists()


# --- Progress and cancelling ----------------------------------------------------------------------------------


def test_the_progress_reads_the_steps_done_before_the_search_and_100_when_done(role_users, monkeypatch):
    from routing.services import solve_large as real_solve

    approved_order(role_users)
    VehicleFactory()
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    seen = []

    def watching_solver(problem, **kwargs):
        seen.append(PlanningRun.objects.get(pk=run.pk).progress)
        return real_solve(problem, **kwargs)

    monkeypatch.setattr("routing.services.solve_large", watching_solver)

    planning_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (seen, run.progress) == ([25], 100)


def test_the_search_moves_the_bar_from_30_towards_90_as_its_time_runs_out(role_users):
    from routing.services import SolvingProgress

    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    now = [100.0]
    progress = SolvingProgress(run.pk, time_limit_s=10, clock=lambda: now[0])

    values = []
    for elapsed in (0, 5, 10, 60):
        now[0] = 100.0 + elapsed
        values.append(progress.value())
    progress.tick()

    assert values == [30, 59, 89, 89]
    run.refresh_from_db()
    assert run.progress == 89


@pytest.mark.django_db(transaction=True)  # outside any transaction of ours, as when a worker runs the plan
def test_the_search_callback_writes_the_progress_at_most_once_a_tick(role_users, monkeypatch):
    from routing import services
    from routing.services import SolvingProgress

    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    now = [100.0]
    progress = SolvingProgress(run.pk, time_limit_s=10, clock=lambda: now[0])
    writes = []
    monkeypatch.setattr(
        SolvingProgress, "tick", lambda self: (writes.append(self.value()), setattr(self, "_last_tick", now[0]))
    )

    for elapsed in (0.1, 0.2, services.PROGRESS_TICK_S + 0.1, services.PROGRESS_TICK_S + 0.2, 5):
        now[0] = 100.0 + elapsed
        progress.on_solution()

    assert writes == [36, 59]  # one write a tick (at 1.1 s and at 5 s), however often the search finds a plan


@pytest.mark.django_db(transaction=True)
def test_a_thread_writes_the_progress_while_the_search_holds_the_run(role_users, monkeypatch):
    import threading

    from routing import services
    from routing import solver as solver_core

    approved_order(role_users)
    VehicleFactory()
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    ticked = threading.Event()
    real_tick = services.SolvingProgress.tick

    def tick_and_tell(self):
        real_tick(self)
        ticked.set()

    seen = []

    def slow_solver(problem, **kwargs):
        assert ticked.wait(timeout=30), "the progress thread never wrote"
        seen.append(PlanningRun.objects.get(pk=run.pk).progress)
        reason = solver_core.UnassignedReason.NO_CAPACITY_TODAY
        return solver_core.Plan(
            routes=(), unassigned=tuple(solver_core.Unassigned(s.id, reason) for s in problem.stops)
        )

    monkeypatch.setattr(services, "PROGRESS_TICK_S", 0.01)
    monkeypatch.setattr(services.SolvingProgress, "tick", tick_and_tell)
    monkeypatch.setattr(services, "solve_large", slow_solver)

    planning_run_execute(run_id=run.pk)

    assert 30 <= seen[0] < 90
    assert [t.name for t in threading.enumerate() if t.name.startswith("progress-")] == []


def test_run_progress_is_ready_for_json(role_users):
    from routing.services import run_progress

    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], status="failed", progress=25, error="boom"
    )

    assert run_progress(run) == {
        "id": run.pk,
        "status": "failed",
        "status_label": "Failed",
        "progress": 25,
        "finished": True,
        "waiting": False,
        "error": "boom",
    }


def test_a_queued_run_is_cancelled_at_once_and_never_plans(role_users):
    from routing.services import planning_run_cancel, run_progress

    approved_order(role_users)
    VehicleFactory()
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    run = planning_run_cancel(actor=role_users["logistics_planner"], run=run)
    assert run_progress(run)["status"] == "cancelled"
    assert run_progress(run)["finished"] is True
    planning_run_execute(run_id=run.pk)  # the queued task still comes

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.CANCELLED
    assert (Round.objects.count(), UnplacedOrder.objects.count()) == (0, 0)


def test_a_run_cancelled_while_reserving_stops_before_the_search(role_users, monkeypatch):
    from logistics.services import orders_reserve_due
    from routing.services import planning_run_cancel

    stop = planned_stop(role_users)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    def reserve_then_cancel(*, date):
        planning_run_cancel(actor=role_users["logistics_planner"], run=run)
        return orders_reserve_due(date=date)

    def no_search(*args, **kwargs):
        raise AssertionError("a cancelled run must not search")

    monkeypatch.setattr("routing.services.orders_reserve_due", reserve_then_cancel)
    monkeypatch.setattr("routing.services.solve_large", no_search)

    planning_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == (PlanningRun.Status.CANCELLED, True)
    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]


def test_a_run_cancelled_while_searching_stores_nothing_and_keeps_the_previous_plan(role_users, monkeypatch):
    from routing.services import planning_run_cancel
    from routing.services import solve_large as real_solve

    stop = planned_stop(role_users)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    def cancelled_meanwhile(problem, **kwargs):
        planning_run_cancel(actor=role_users["logistics_planner"], run=run)
        return real_solve(problem, **kwargs)

    monkeypatch.setattr("routing.services.solve_large", cancelled_meanwhile)

    planning_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.CANCELLED
    assert (run.rounds.count(), run.unplaced.count()) == (0, 0)
    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]
    stop.order.refresh_from_db()
    assert stop.order.status == DeliveryOrder.Status.PLANNED


@pytest.mark.parametrize("status", ["done", "failed", "cancelled"])
def test_a_finished_run_cannot_be_cancelled(role_users, status):
    from routing.services import planning_run_cancel

    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status=status)

    with pytest.raises(ValidationError) as refused:
        planning_run_cancel(actor=role_users["logistics_planner"], run=run)
    assert refused.value.code == "run_finished"

    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == (status, False)


# --- Crews ----------------------------------------------------------------------------------------------------


def _driver(role_users, username: str, **fields):
    from core.tests.factories import UserFactory

    user = UserFactory(username=username, **fields)
    user.groups.set(role_users["driver"].groups.all())
    return user


def test_a_round_is_driven_by_the_driver_covering_for_an_absent_one(role_users):
    from logistics.models import DriverAbsence

    order, _item, warehouse = approved_order(role_users)
    DriverAbsence.objects.create(driver=role_users["driver"], starts_on=tomorrow(), ends_on=tomorrow())
    spare = _driver(role_users, "suplente")
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert Round.objects.get().driver == spare


def test_a_van_that_stays_home_is_left_out_of_the_plan_and_listed_for_the_board(role_users):
    from logistics.models import DriverAbsence
    from routing.selectors import vans_staying_home

    order, _item, warehouse = approved_order(role_users)
    DriverAbsence.objects.create(driver=role_users["driver"], starts_on=tomorrow(), ends_on=tomorrow())
    home = VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert vans_staying_home(tomorrow()) == [home]
    assert not Round.objects.exists()
    assert list(UnplacedOrder.objects.values_list("order", "reason")) == [(order.pk, "no_vehicles")]


def test_the_van_works_only_its_drivers_shift(role_users):
    import datetime as dt

    from logistics.models import DriverShift

    order, _item, warehouse = approved_order(role_users)
    DeliveryOrder.objects.filter(pk=order.pk).update(window_start=dt.time(12, 0), window_end=dt.time(13, 0))
    DriverShift.objects.create(
        driver=role_users["driver"], weekday=tomorrow().weekday(), start=dt.time(9, 0), end=dt.time(11, 0)
    )
    VehicleFactory(depot=warehouse, driver=role_users["driver"])  # the van itself runs 9:00–14:00
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert list(UnplacedOrder.objects.values_list("order", "reason")) == [(order.pk, "window_unreachable")]


# --- Same driver ----------------------------------------------------------------------------------------------


def _delivered_before_by(order, driver, vehicle):
    """A stop of the household's delivered the week before, driven by `driver`."""
    from django.utils import timezone

    from tests.scenarios import day_from_today

    earlier = PlanningRun.objects.create(date=day_from_today(-7), requested_by=driver, status="done")
    past = DeliveryOrder.objects.create(
        plan=order.plan,
        household=order.household,
        warehouse=order.warehouse,
        due_date=day_from_today(-7),
        status=DeliveryOrder.Status.DELIVERED,
    )
    round_ = Round.objects.create(
        run=earlier,
        date=earlier.date,
        vehicle=vehicle,
        driver=driver,
        depot=order.warehouse,
        start_at=timezone.now(),
        end_at=timezone.now(),
        distance_m=0,
    )
    Stop.objects.create(
        round=round_,
        order=past,
        sequence=1,
        arrival_at=timezone.now(),
        outcome=Stop.Outcome.DELIVERED,
        recorded_at=timezone.now(),
    )


def test_a_household_keeping_its_driver_rides_on_the_van_that_driver_drives_today(role_users):
    household = HouseholdFactory(same_driver=True)
    order, _item, warehouse = approved_order(role_users, household=household)
    usual = _driver(role_users, "habitual")
    VehicleFactory(depot=warehouse, driver=role_users["driver"])  # first van: the search's natural pick
    theirs = VehicleFactory(depot=warehouse, driver=usual)
    _delivered_before_by(order, usual, VehicleFactory(depot=warehouse, is_available=False))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert Stop.objects.get(order=order).round.vehicle == theirs


def test_the_same_driver_wish_gives_way_when_that_van_cannot_take_the_order(role_users):
    household = HouseholdFactory(same_driver=True)
    order, _item, warehouse = approved_order(role_users, household=household, per_pack=5)  # 5 kg
    usual = _driver(role_users, "habitual")
    other = VehicleFactory(depot=warehouse, driver=role_users["driver"])
    VehicleFactory(depot=warehouse, driver=usual, capacity_kg=2)
    _delivered_before_by(order, usual, VehicleFactory(depot=warehouse, is_available=False))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert Stop.objects.get(order=order).round.vehicle == other
    assert not UnplacedOrder.objects.exists()


def test_no_van_is_held_when_the_last_driver_is_off_or_the_household_did_not_ask(role_users):
    from logistics.models import DriverAbsence
    from routing.adapter import same_driver_locks
    from routing.services import _build_problem

    asked, _item, warehouse = approved_order(role_users, household=HouseholdFactory(same_driver=True))
    not_asked, _item2, _warehouse2 = approved_order(role_users, household=HouseholdFactory(same_driver=False))
    usual = _driver(role_users, "habitual")
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    theirs = VehicleFactory(depot=warehouse, driver=usual)
    for order in (asked, not_asked):
        _delivered_before_by(order, usual, theirs)

    day, _unlocated = _build_problem(tomorrow())
    assert same_driver_locks(day) == {str(asked.pk): str(theirs.pk)}

    DriverAbsence.objects.create(driver=usual, starts_on=tomorrow(), ends_on=tomorrow())
    day, _unlocated = _build_problem(tomorrow())
    assert same_driver_locks(day) == {}


# --- Locked stops ---------------------------------------------------------------------------------------------


def _two_vans_one_plan(role_users):
    """Three orders close together, two vans at their depot; a draft plan of them (all on one van, the shortest)."""
    orders = [approved_order(role_users, household=HouseholdFactory(latitude=f"37.60{i}000"))[0] for i in range(3)]
    warehouse = orders[0].warehouse
    vans = [VehicleFactory(depot=warehouse, driver=role_users["driver"]), VehicleFactory(depot=warehouse)]
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=run.pk)
    return orders, vans, run


def test_re_optimising_keeps_a_locked_stop_on_its_van_at_its_place(role_users):
    from routing.board import stop_lock, stop_move

    orders, vans, draft = _two_vans_one_plan(role_users)
    moved = Stop.objects.get(order=orders[1])
    other_van = next(v for v in vans if v != moved.round.vehicle)
    other_round = Round.objects.create(
        run=draft,
        date=draft.date,
        vehicle=other_van,
        depot=other_van.depot,
        start_at=moved.round.start_at,
        end_at=moved.round.start_at,
        distance_m=0,
    )
    stop_move(actor=role_users["logistics_planner"], stop=moved, to_round=other_round, position=1)
    stop_lock(actor=role_users["logistics_planner"], stop=moved, locked=True)
    again = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )

    planning_run_execute(run_id=again.pk)

    kept = Stop.objects.get(order=orders[1])
    assert (kept.round.run, kept.round.vehicle, kept.sequence, kept.locked) == (again, other_van, 1, True)
    assert not Stop.objects.filter(locked=True).exclude(pk=kept.pk).exists()


def test_a_locked_stop_whose_van_is_no_longer_out_is_planned_freely(role_users):
    orders, vans, _draft = _two_vans_one_plan(role_users)
    locked = Stop.objects.get(order=orders[0])
    Stop.objects.filter(pk=locked.pk).update(locked=True)
    gone = locked.round.vehicle
    type(gone).objects.filter(pk=gone.pk).update(is_available=False)
    again = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )

    planning_run_execute(run_id=again.pk)

    replanned = Stop.objects.get(order=orders[0])
    assert (replanned.round.vehicle, replanned.locked) == (next(v for v in vans if v != gone), False)
    assert not UnplacedOrder.objects.filter(run=again).exists()


# --- Drivers and the command ----------------------------------------------------------------------------------


def test_drivers_never_see_a_draft_round(role_users):
    from delivery.selectors import driver_next_round
    from tests.scenarios import day_from_today

    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=run.pk)

    assert driver_next_round(role_users["driver"], day_from_today(0)) is None
    PlanningRun.objects.filter(pk=run.pk).update(published_at=run.created_at)
    assert driver_next_round(role_users["driver"], day_from_today(0)) == Round.objects.get()


@pytest.mark.django_db(transaction=True)
def test_plan_day_with_draft_leaves_the_plan_unpublished(role_users):
    import io

    from django.core.management import call_command

    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse)
    out = io.StringIO()

    call_command("plan_day", "--draft", stdout=out)

    run = PlanningRun.objects.get()
    order.refresh_from_db()
    assert (run.status, run.published_at, order.status) == ("done", None, DeliveryOrder.Status.RESERVED)
    assert "This is a draft: nobody has been told." in out.getvalue()
