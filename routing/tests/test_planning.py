"""Planning a day from the database: replacing a plan, refusing to re-plan a started day, failures on record."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from logistics.models import DeliveryOrder
from logistics.services import stop_mark_delivered
from routing.models import PlanningRun, Round, Stop, UnplacedOrder
from routing.services import planning_run_execute, planning_run_start
from tests.factories import HouseholdFactory, VehicleFactory, tomorrow
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

    with pytest.raises(ValidationError, match="already left or recorded deliveries"):
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow())

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


@pytest.mark.django_db(transaction=True)
def test_a_plan_that_crashes_is_recorded_as_failed_and_the_page_says_so(client, role_users, monkeypatch):
    approved_order(role_users)
    VehicleFactory()

    def broken_solver(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("routing.services.solve_large", broken_solver)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning"), {"date": tomorrow().isoformat()}, follow=True)

    run = PlanningRun.objects.get()
    assert (run.status, run.error) == (PlanningRun.Status.FAILED, "solver exploded")
    assert "Planning failed." in response.content.decode()
    assert Round.objects.count() == 0


def test_running_a_finished_plan_again_changes_nothing(role_users):
    stop = planned_stop(role_users)

    planning_run_execute(run_id=stop.round.run_id)

    assert list(Stop.objects.values_list("pk", flat=True)) == [stop.pk]


def test_an_order_rides_only_on_a_van_from_the_depot_holding_its_stock(role_users):
    from tests.factories import WarehouseFactory

    order, _item, home = approved_order(role_users)
    other = WarehouseFactory(code="norte", name="Almacén norte", latitude="37.602000", longitude="-0.982000")
    VehicleFactory(depot=other)  # nearer to the household, but holds none of its stock
    VehicleFactory(depot=home)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    assert Stop.objects.get(order=order).round.depot == home


def test_an_order_whose_depot_has_no_van_is_explained_with_the_fix(role_users):
    from tests.factories import WarehouseFactory

    order, _item, home = approved_order(role_users)
    VehicleFactory(depot=WarehouseFactory(code="norte", name="Almacén norte"))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    unplaced = UnplacedOrder.objects.get()
    assert (unplaced.order, unplaced.reason) == (order, "missing_skill")
    assert unplaced.explanation == f"No available van can take it. Make available a van based at {home.name}."


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


def test_fitting_a_late_order_keeps_the_planned_stops_on_their_van(
    client, role_users, django_capture_on_commit_callbacks
):
    from requests_intake.models import Notification

    first = planned_stop(role_users)
    van = first.round.vehicle
    late, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(latitude="37.606000"))
    told_before = Notification.objects.filter(event="scheduled").count()
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()})
    assert "Fit 1 waiting order into the plan" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning"), {"date": tomorrow().isoformat(), "insert": "1"})

    run = PlanningRun.objects.latest("created_at")
    assert (run.kind, run.status) == (PlanningRun.Kind.INSERT, PlanningRun.Status.DONE)
    assert set(Stop.objects.values_list("order_id", "round__vehicle")) == {(first.order_id, van.pk), (late.pk, van.pk)}
    # Only the newly fitted order's household is told its delivery day; the others were told already.
    scheduled = Notification.objects.filter(event="scheduled")
    assert scheduled.count() == told_before + 1
    assert scheduled.latest("pk").request == late.plan.request


def test_fitting_orders_into_a_day_without_a_plan_is_refused(role_users):
    VehicleFactory()

    with pytest.raises(ValidationError, match="plan the day first"):
        planning_run_start(actor=role_users["logistics_planner"], date=tomorrow(), kind=PlanningRun.Kind.INSERT)

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


def test_the_date_pickers_carry_an_iso_date_in_spanish_too(client, role_users, settings):
    settings.LANGUAGE_CODE = "es"
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    assert f'type="date" name="date" value="{tomorrow().isoformat()}"' in page


def test_orders_already_explained_as_left_out_are_not_offered_for_fitting(client, role_users):
    planned_stop(role_users)
    approved_order(role_users, household=HouseholdFactory(latitude=None, longitude=None))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    assert UnplacedOrder.objects.filter(run=run, reason="no_location").count() == 1
    assert "waiting order" not in page


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
