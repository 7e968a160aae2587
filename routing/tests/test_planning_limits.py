"""How the planning run bounds its search: ROUTING_SOLUTION_LIMIT (set by the tests, unset in production) makes a
day searched whole one repeatable search in this process; without it, or for a day split into parts, the
solver's own `solve_large` runs with the clock and the workers setting."""

import pytest

from routing import services, solver
from routing.solver import decompose
from routing.solver.generate import city_day


@pytest.fixture
def small_day():
    problem, _ = city_day(stops=12, vehicles=2, depots=1, seed=3)
    return problem


@pytest.fixture
def solver_calls(monkeypatch):
    """Every call to the solver's `solve`, as (args, kwargs); the real search still runs."""
    calls = []
    real_solve = solver.solve

    def recording_solve(*args, **kwargs):
        calls.append((args, kwargs))
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(solver, "solve", recording_solve)
    return calls


@pytest.fixture
def handed_over(monkeypatch):
    """Calls that reach the solver's `decompose.solve_large`, which is not run: every stop comes back unplaced."""
    calls = []

    def fake_solve_large(problem, **kwargs):
        calls.append(kwargs)
        reason = solver.UnassignedReason.NO_CAPACITY_TODAY
        return solver.Plan(routes=(), unassigned=tuple(solver.Unassigned(s.id, reason) for s in problem.stops))

    monkeypatch.setattr(decompose, "solve_large", fake_solve_large)
    return calls


def test_under_a_solution_limit_a_whole_day_is_one_search_here_that_stops_at_that_many_solutions(
    settings, small_day, solver_calls, handed_over
):
    settings.ROUTING_SOLUTION_LIMIT = 7

    plan = services.solve_large(small_day, time_limit_s=30, workers=2, map_parts=None, on_solution=None)

    assert [kwargs["options"] for _, kwargs in solver_calls] == [
        solver.SearchOptions(time_limit_s=30, solution_limit=7)
    ]
    assert handed_over == []
    assert solver.plan_violations(small_day, plan) == []
    assert {v.stop_id for r in plan.routes for v in r.visits} | {u.stop_id for u in plan.unassigned} == {
        s.id for s in small_day.stops
    }


def test_under_a_solution_limit_the_same_day_gets_the_same_plan(settings, small_day):
    settings.ROUTING_SOLUTION_LIMIT = 20

    first = services.solve_large(small_day, time_limit_s=30, workers=1)
    second = services.solve_large(small_day, time_limit_s=30, workers=1)

    assert first.routes == second.routes
    assert first.unassigned == second.unassigned


def test_without_a_solution_limit_the_day_goes_to_the_solvers_solve_large_with_the_clock_and_the_workers(
    settings, small_day, solver_calls, handed_over
):
    settings.ROUTING_SOLUTION_LIMIT = None

    services.solve_large(small_day, time_limit_s=5, workers=2, map_parts=None, on_solution=None)

    assert handed_over == [{"time_limit_s": 5, "workers": 2, "map_parts": None, "on_solution": None}]
    assert solver_calls == []


def test_a_day_split_into_parts_keeps_the_clock_under_a_solution_limit(settings, solver_calls, handed_over):
    settings.ROUTING_SOLUTION_LIMIT = 7
    problem, _ = city_day(stops=decompose.PART_SIZE + 1, vehicles=4, depots=1, seed=3)

    services.solve_large(problem, time_limit_s=5, workers=2, map_parts=map, on_solution=None)

    assert handed_over == [{"time_limit_s": 5, "workers": 2, "map_parts": map, "on_solution": None}]
    assert solver_calls == []


def test_the_tests_plan_with_one_worker_and_a_solution_limit(settings):
    # conftest.py's planning settings: the suite's speed and repeatability rest on them.
    from conftest import PLANNING_SOLUTION_LIMIT

    assert (settings.ROUTING_WORKERS, settings.ROUTING_SOLUTION_LIMIT) == (1, PLANNING_SOLUTION_LIMIT)
