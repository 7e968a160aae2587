"""A large day's parts as Celery tasks (routing.parts), here with Celery eager: the same code as with a broker,
the parts solved in this process. The real workers sharing a city day are in tests/test_large_day_workers.py."""

import datetime as dt
import json
import socket
from dataclasses import replace
from functools import partial

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory
from routing import parts
from routing.models import PlanningPart, PlanningRun
from routing.parts import parts_solve
from routing.services import planning_run_execute
from routing.solver import (
    Break,
    Fix,
    FixKind,
    Plan,
    Priority,
    SearchOptions,
    TimeWindow,
    Unassigned,
    UnassignedReason,
    decompose,
    plan_violations,
)
from routing.solver.generate import city_day
from routing.solver.serial import (
    options_from_dict,
    options_to_dict,
    plan_from_dict,
    plan_to_dict,
    problem_from_dict,
    problem_to_dict,
)
from routing.tasks import solve_part
from tests.scenarios import approved_order

H = 3600


@pytest.fixture
def quick_parts(monkeypatch):
    """Every part's search stops after a few solutions instead of at the clock: fast, and the same plan each time."""
    monkeypatch.setattr(decompose, "SearchOptions", partial(SearchOptions, solution_limit=3))


@pytest.fixture(scope="module")
def large_day():
    """400 stops, 12 vans, 2 depots: split into parts. Built once; it is frozen."""
    problem, _locations = city_day(stops=400, vehicles=12, depots=2, seed=5)
    return problem


def _small_city(seed: int = 3, stops: int = 40):
    problem, _locations = city_day(stops=stops, vehicles=4, depots=2, seed=seed)
    return problem


def _running_run(role_users, **fields) -> PlanningRun:
    return PlanningRun.objects.create(
        date=tomorrow(),
        requested_by=role_users["logistics_planner"],
        status=PlanningRun.Status.RUNNING,
        started_at=timezone.now(),
        **fields,
    )


def _part(run: PlanningRun, problem, **fields) -> PlanningPart:
    options = options_to_dict(SearchOptions(time_limit_s=5, solution_limit=3))
    return PlanningPart.objects.create(
        run=run, problem=problem_to_dict(problem), options=options, **{"batch": "b1", "index": 0, **fields}
    )


# --- JSON forms ------------------------------------------------------------------------------------------------


def test_a_problem_with_every_kind_of_rule_comes_back_from_json_unchanged():
    problem = _small_city()
    stops = list(problem.stops)
    stops[0] = replace(
        stops[0],
        more_windows=(TimeWindow(17 * H, 19 * H),),
        skills=frozenset({"fridge", "stairs"}),
        locked_vehicle="van-01",
        locked_position=1,
        priority=Priority.URGENT,
    )
    vehicles = list(problem.vehicles)
    vehicles[1] = replace(
        vehicles[1],
        skills=frozenset({"fridge"}),
        end_depot=0,
        fixed_cost=5000,
        distance_cost=2,
        rest=Break(TimeWindow(12 * H, 13 * H), 1800),
    )
    problem = replace(problem, stops=tuple(stops), vehicles=tuple(vehicles), pairs=(("s0003", "s0004"),))

    again = problem_from_dict(json.loads(json.dumps(problem_to_dict(problem))))

    assert again == problem
    assert type(again.stops[0].priority) is Priority


def test_a_plan_with_every_kind_of_fix_comes_back_from_json_unchanged():
    problem = _small_city()
    solved = decompose.solve_part(problem, SearchOptions(time_limit_s=5, solution_limit=3))
    reason = UnassignedReason.NO_CAPACITY_TODAY
    fixes = [
        Fix(FixKind.SPLIT_ORDER, 2),
        Fix(FixKind.BIGGER_VEHICLE, (600_000, 400_000)),
        Fix(FixKind.VEHICLE_WITH_SKILLS, ("fridge",)),
        Fix(FixKind.WIDEN_WINDOW, 40_000),
        Fix(FixKind.EXTEND_SHIFT, 61_200),
        Fix(FixKind.MORE_VEHICLES, "van-00"),
        None,
    ]
    left = tuple(Unassigned(f"x{i}", reason, fix, Priority.LOW) for i, fix in enumerate(fixes))
    plan = replace(solved, unassigned=solved.unassigned + left)

    again = plan_from_dict(json.loads(json.dumps(plan_to_dict(plan))))

    assert again == plan
    assert len(again.routes) == len(solved.routes) > 0


# --- The coordinator and the part tasks ------------------------------------------------------------------------


def _solve_through_tasks(run: PlanningRun, problem) -> Plan:
    def on_workers(_solve_part, jobs):
        return parts_solve(run_id=run.pk, jobs=jobs, stop_if_cancelled=lambda: None)

    return decompose.solve_large(problem, time_limit_s=4, workers=1, map_parts=on_workers)


def test_a_large_day_is_solved_by_the_part_tasks_and_every_stop_is_placed_once(role_users, quick_parts, large_day):
    problem = large_day
    run = _running_run(role_users)

    plan = _solve_through_tasks(run, problem)

    placed = [v.stop_id for r in plan.routes for v in r.visits] + [u.stop_id for u in plan.unassigned]
    assert sorted(placed) == sorted(s.id for s in problem.stops)
    assert plan_violations(problem, plan) == []
    rows = list(run.parts.order_by("index"))
    assert [r.index for r in rows] == list(range(len(decompose.split(problem))))
    # Each part was solved by its Celery task (eager: in this process), none by the coordinator itself.
    assert {(r.status, r.solved_by) for r in rows} == {(PlanningPart.Status.DONE, socket.gethostname())}
    assert not [r for r in rows if r.task_id.startswith("coordinator-") or not r.task_id]
    assert {(r.problem, r.plan) for r in rows} == {(None, None)}  # the day is not kept twice


def test_a_part_task_delivered_twice_solves_the_part_once(role_users, monkeypatch):
    run = _running_run(role_users)
    part = _part(run, _small_city())
    searches = []
    real = parts.solve_part
    monkeypatch.setattr(parts, "solve_part", lambda *a, **k: searches.append(1) or real(*a, **k))

    first = solve_part.apply(args=[part.pk], task_id="task-1").get()
    part.refresh_from_db()
    stored = (part.status, part.plan, part.finished_at, part.solved_by)
    second = solve_part.apply(args=[part.pk], task_id="task-1").get()

    part.refresh_from_db()
    assert (first, second, len(searches)) == (True, False, 1)
    assert (part.status, part.plan, part.finished_at, part.solved_by) == stored
    assert stored[0] == PlanningPart.Status.DONE
    assert PlanningPart.objects.count() == 1


def test_a_redelivered_task_takes_over_the_part_its_dead_worker_held(role_users):
    run = _running_run(role_users)
    part = _part(run, _small_city(), status=PlanningPart.Status.SOLVING, task_id="task-1", solved_by="dead@host")

    assert solve_part.apply(args=[part.pk], task_id="task-1").get() is True

    part.refresh_from_db()
    assert (part.status, part.solved_by, part.problem) == (PlanningPart.Status.DONE, socket.gethostname(), None)


def test_another_task_leaves_alone_a_part_a_live_worker_is_solving(role_users):
    run = _running_run(role_users)
    claimed_at = timezone.now()
    part = _part(
        run,
        _small_city(),
        status=PlanningPart.Status.SOLVING,
        task_id="task-1",
        solved_by="busy@host",
        claimed_at=claimed_at,
    )

    assert solve_part.apply(args=[part.pk], task_id="task-2").get() is False

    part.refresh_from_db()
    assert (part.status, part.task_id, part.solved_by, part.claimed_at, part.plan) == (
        PlanningPart.Status.SOLVING,
        "task-1",
        "busy@host",
        claimed_at,
        None,
    )


def test_a_part_of_a_cancelled_run_is_not_searched(role_users, monkeypatch):
    run = _running_run(role_users, cancel_requested=True)
    part = _part(run, _small_city())
    monkeypatch.setattr(parts, "solve_part", lambda *a, **k: pytest.fail("a cancelled run's part was searched"))

    assert solve_part.apply(args=[part.pk], task_id="task-1").get() is False

    part.refresh_from_db()
    assert (part.plan, part.finished_at) == (None, None)


def test_a_part_task_for_a_part_that_no_longer_exists_does_nothing(role_users):
    assert solve_part.apply(args=[987654], task_id="task-1").get() is False
    assert PlanningPart.objects.count() == 0


def test_with_the_broker_down_the_coordinator_solves_every_part_itself(role_users, quick_parts, large_day, monkeypatch):
    def broker_down(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("celery.canvas.group.apply_async", broker_down)
    problem = large_day
    run = _running_run(role_users)

    plan = _solve_through_tasks(run, problem)

    assert plan_violations(problem, plan) == []
    assert len([v for r in plan.routes for v in r.visits]) + len(plan.unassigned) == 400
    tokens = set(run.parts.values_list("task_id", flat=True))
    assert len(tokens) == 1
    assert next(iter(tokens)).startswith("coordinator-")


def test_the_coordinator_takes_over_a_part_whose_worker_vanished(role_users, quick_parts, large_day, monkeypatch):
    """The broker took the tasks; one worker claimed a part and its machine went away without a word."""

    def lost_on_the_way(self, *args, **kwargs):
        long_ago = timezone.now() - dt.timedelta(hours=1)
        PlanningPart.objects.filter(index=0).update(
            status=PlanningPart.Status.SOLVING, task_id="task-gone", solved_by="gone@host", claimed_at=long_ago
        )
        PlanningPart.objects.exclude(index=0).update(
            status=PlanningPart.Status.SOLVING, task_id="task-alive", solved_by="alive@host", claimed_at=timezone.now()
        )
        for part in PlanningPart.objects.exclude(index=0):  # the live worker finishes its parts
            plan = decompose.solve_part(problem_from_dict(part.problem), options_from_dict(part.options))
            parts._finish(part.pk, plan, worker="alive@host")

    monkeypatch.setattr("celery.canvas.group.apply_async", lost_on_the_way)
    problem = large_day
    run = _running_run(role_users)

    plan = _solve_through_tasks(run, problem)

    assert plan_violations(problem, plan) == []
    solved_by = dict(run.parts.values_list("index", "solved_by"))
    assert solved_by[0] == socket.gethostname()
    assert set(solved_by.values()) == {socket.gethostname(), "alive@host"}


def test_a_run_taken_over_drops_the_parts_its_dead_coordinator_left(role_users, quick_parts):
    run = _running_run(role_users)
    left = [
        _part(run, _small_city(), batch="dead", index=0, status=PlanningPart.Status.SOLVING, task_id="task-1"),
        _part(run, _small_city(), batch="dead", index=1),
    ]
    earlier = PlanningPart.objects.create(run=run, batch="done", index=0, status="done", solved_by="a@host")

    parts_solve(run_id=run.pk, jobs=[(_small_city(), SearchOptions(solution_limit=3))], stop_if_cancelled=lambda: None)

    assert not PlanningPart.objects.filter(pk__in=[p.pk for p in left]).exists()
    assert solve_part.apply(args=[left[1].pk], task_id="task-2").get() is False
    new_batch = run.parts.exclude(pk=earlier.pk).get().batch
    assert set(run.parts.values_list("batch", "index", "status")) == {("done", 0, "done"), (new_batch, 0, "done")}


class Cancelled(Exception):
    pass


def test_a_search_cancelled_while_its_parts_are_solved_drops_its_parts(role_users, quick_parts):
    problem = _small_city()
    run = _running_run(role_users)

    def cancel():
        raise Cancelled

    with pytest.raises(Cancelled):
        parts_solve(run_id=run.pk, jobs=[(problem, SearchOptions(solution_limit=3))], stop_if_cancelled=cancel)

    assert PlanningPart.objects.count() == 0


# --- Planning a day --------------------------------------------------------------------------------------------


def test_planning_a_day_that_splits_stores_one_set_of_rounds_with_every_order_once(
    role_users, quick_parts, monkeypatch
):
    monkeypatch.setattr(decompose, "PART_SIZE", 2)
    orders = [
        approved_order(role_users, household=HouseholdFactory(latitude=f"37.6{i}0000", longitude="-0.97"))[0]
        for i in range(6)
    ]
    vans = [VehicleFactory(depot=orders[0].warehouse) for _ in range(2)]
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])

    planning_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.error) == (PlanningRun.Status.DONE, "")
    assert sorted(Stop.objects.values_list("order", flat=True)) == sorted(o.pk for o in orders)
    assert set(Stop.objects.values_list("round__run", flat=True)) == {run.pk}
    assert {v.pk for v in vans} >= set(Stop.objects.values_list("round__vehicle", flat=True))
    assert list(run.parts.values_list("index", "status")) == [(0, "done"), (1, "done")]
