"""The two engines behind one solve(): PyVRP's plans, the planner's objective, the dispatch and its repeatability.
Tiny named instances, no database; searches stop on iteration or solution limits, not on the clock."""

import pytest

from routing.solver import (
    Break,
    Objective,
    Plan,
    Problem,
    Route,
    Stop,
    TimeWindow,
    Vehicle,
    Visit,
    plan_violations,
    solve,
)
from routing.solver.engine import pick, plan_score, relaxed
from routing.solver.pyvrp_engine import solve_pyvrp, unsupported
from routing.solver.solve import SearchOptions

H = 3600
DAY = TimeWindow(8 * H, 14 * H)
QUICK = SearchOptions(time_limit_s=5, solution_limit=20, iteration_limit=300)


# No Django here: replace the project-wide autouse fixtures that use pytest-django's `settings`.
@pytest.fixture(autouse=True)
def _eager_celery():
    return


@pytest.fixture(autouse=True)
def _require_postgres():
    return


def line(points: list[int]) -> tuple:
    """Matrices for nodes at the given positions (metres) on a line; one metre takes one second."""
    matrix = tuple(tuple(abs(a - b) for b in points) for a in points)
    return matrix, matrix


def stop(name, demand=1, **kwargs) -> Stop:
    kwargs.setdefault("window", DAY)
    return Stop(id=name, demand=(demand,), **kwargs)


def van(name, capacity=10, **kwargs) -> Vehicle:
    kwargs.setdefault("shift", DAY)
    return Vehicle(id=name, capacity=(capacity,), **kwargs)


def two_far_apart_stops() -> Problem:
    """Each stop is 1,000 m from the depot but 3,000 m from the other (a river between them): two vans drive
    4,000 m in all, one van 5,000 m."""
    matrix = ((0, 1000, 1000), (1000, 0, 3000), (1000, 3000, 0))
    return Problem(vehicles=(van("v1"), van("v2")), stops=(stop("a"), stop("b")), distance=matrix, duration=matrix)


def test_pyvrp_plans_skills_and_a_second_window_into_a_plan_the_checker_accepts():
    distance, duration = line([0, 100, 200, 300])
    late = TimeWindow(12 * H, 13 * H)
    problem = Problem(
        vehicles=(van("dry"), van("fridge", skills=frozenset({"cold"}))),
        stops=(
            stop("milk", skills=frozenset({"cold"})),
            stop("rice", window=TimeWindow(8 * H, 8 * H), more_windows=(late,)),
            stop("beans"),
        ),
        distance=distance,
        duration=duration,
    )

    plan = solve_pyvrp(problem, time_limit_s=5, iterations=300)

    assert plan_violations(problem, plan) == []
    assert plan.engine == "pyvrp"
    assert plan.unassigned == ()
    milk = next(r for r in plan.routes if "milk" in [v.stop_id for v in r.visits])
    assert milk.vehicle_id == "fridge"
    rice = next(v for r in plan.routes for v in r.visits if v.stop_id == "rice")
    assert rice.arrival == late.start  # 8:00 sharp cannot be reached from the depot 200 m away


def test_fewest_vans_uses_one_van_where_shortest_distance_uses_two():
    problem = two_far_apart_stops()

    vans = solve(problem, objective=Objective.VANS, options=QUICK)
    shortest = solve(problem, objective=Objective.DISTANCE, options=QUICK)

    assert plan_violations(problem, vans) == plan_violations(problem, shortest) == []
    assert (len(vans.routes), vans.distance) == (1, 5000)
    assert (len(shortest.routes), shortest.distance) == (2, 4000)


def test_the_app_default_objective_is_fewest_vans():
    problem = two_far_apart_stops()

    plan = solve(problem, options=QUICK)

    assert problem.objective == Objective.VANS
    assert (len(plan.routes), plan.distance) == (1, 5000)


def test_balanced_rounds_split_the_day_so_the_longest_round_is_shortest():
    distance, duration = line([0, -3000, -2000, 2000, 3000])
    problem = Problem(
        vehicles=(van("v1"), van("v2")),
        stops=(stop("w2"), stop("w1"), stop("e1"), stop("e2")),
        distance=distance,
        duration=duration,
        objective=Objective.BALANCED,
    )

    plan = solve(problem, options=SearchOptions(time_limit_s=5, solution_limit=50))

    assert plan_violations(problem, plan) == []
    assert sorted(r.distance for r in plan.routes) == [6000, 6000]
    assert (plan.engine, plan.engine_note) == (
        "ortools",
        "only OR-Tools models balanced rounds (PyVRP has no longest-round objective)",
    )


def test_a_problem_with_a_break_and_a_locked_stop_goes_to_ortools_and_says_why():
    distance, duration = line([0, 600, 1200])
    problem = Problem(
        vehicles=(van("v", rest=Break(TimeWindow(8 * H + 600, 8 * H + 700), 1800)), van("w")),
        stops=(stop("a", locked_vehicle="v", locked_position=1), stop("b")),
        distance=distance,
        duration=duration,
    )

    plan = solve(problem, options=QUICK)

    assert plan_violations(problem, plan) == []
    assert (plan.engine, plan.engine_note) == ("ortools", "only OR-Tools models breaks, locked stops")


def test_a_problem_pyvrp_models_whole_runs_on_pyvrp_with_one_core():
    distance, duration = line([0, 100, 200])
    problem = Problem(vehicles=(van("v"),), stops=(stop("a"), stop("b")), distance=distance, duration=duration)

    plan = solve(problem, options=QUICK, workers=1)

    assert unsupported(problem) == []
    assert (plan.engine, plan.engine_note) == (
        "pyvrp",
        "PyVRP alone on one core: it models every rule of this problem",
    )


def test_two_cores_race_both_engines_and_the_plan_names_the_winner():
    problem = two_far_apart_stops()

    plan = solve(problem, objective=Objective.DISTANCE, options=QUICK, workers=2)

    assert plan_violations(problem, plan) == []
    assert plan.distance == 4000
    # Both find the optimum; a tie goes to the first entry, PyVRP.
    assert (plan.engine, plan.engine_note) == (
        "pyvrp",
        "raced side by side; pyvrp won on distance over ortools",
    )


def test_the_same_input_seed_and_iteration_limit_give_the_same_plan():
    points = [0, 130, -270, 410, -520, 660, -790, 880]
    distance, duration = line(points)
    problem = Problem(
        vehicles=(van("v1", capacity=3), van("v2", capacity=3), van("v3", capacity=3)),
        stops=tuple(stop(f"s{i}") for i in range(1, len(points))),
        distance=distance,
        duration=duration,
    )
    options = SearchOptions(time_limit_s=30, iteration_limit=500, seed=7)

    first, second = solve(problem, options=options), solve(problem, options=options)

    assert first == second
    assert first.engine == "pyvrp"


def test_a_better_plan_that_fails_the_checker_loses():
    distance, duration = line([0, 100])
    problem = Problem(vehicles=(van("v"),), stops=(stop("a"),), distance=distance, duration=duration)
    honest = Plan(routes=(Route("v", (Visit("a", 8 * H + 100, 8 * H + 100),), 8 * H, 8 * H + 200, 200, (1,)),))
    # Claims a shorter drive than the matrix allows: better on paper, and wrong.
    cheat = Plan(routes=(Route("v", (Visit("a", 8 * H + 100, 8 * H + 100),), 8 * H, 8 * H + 200, 10, (1,)),))

    plan = pick(problem, [("pyvrp", cheat), ("ortools", honest)], "raced side by side")

    assert plan_score(problem, cheat) < plan_score(problem, honest)
    assert (plan.engine, plan.routes) == ("ortools", honest.routes)


def test_the_relaxed_problem_drops_only_what_pyvrp_cannot_model():
    distance, duration = line([0, 600, 1200])
    problem = Problem(
        vehicles=(van("v", rest=Break(TimeWindow(8 * H, 9 * H), 900)),),
        stops=(stop("a", locked_vehicle="v", locked_position=1), stop("b")),
        distance=distance,
        duration=duration,
        pairs=(("a", "b"),),
        objective=Objective.BALANCED,
    )

    loose = relaxed(problem)

    assert unsupported(loose) == []
    assert (loose.vehicles[0].rest, loose.pairs, loose.objective) == (None, (), Objective.DISTANCE)
    assert [(s.locked_vehicle, s.locked_position) for s in loose.stops] == [(None, None), (None, None)]
    assert loose.distance == problem.distance
