"""Each rule of the routing model shown to bind on a tiny instance, and every plan passed through the checker."""

import pytest

from routing.solver import (
    Break,
    Depot,
    Fix,
    FixKind,
    Plan,
    Priority,
    Problem,
    Route,
    Stop,
    TimeWindow,
    UnassignedReason,
    Vehicle,
    Visit,
    plan_violations,
    solve,
)
from routing.solver.solve import SearchOptions

H = 3600
DAY = TimeWindow(8 * H, 14 * H)


def line(points: list[int], **kwargs) -> tuple:
    """Matrices for nodes at the given positions (metres) on a line; one metre takes one second."""
    matrix = tuple(tuple(abs(a - b) for b in points) for a in points)
    return matrix, matrix


def stop(name, demand=1, **kwargs) -> Stop:
    kwargs.setdefault("window", DAY)
    return Stop(id=name, demand=(demand,), **kwargs)


def van(name, capacity=10, **kwargs) -> Vehicle:
    kwargs.setdefault("shift", DAY)
    return Vehicle(id=name, capacity=(capacity,), **kwargs)


def solved(problem: Problem, **kwargs):
    plan = solve(problem, time_limit_s=1, **kwargs)
    assert plan_violations(problem, plan) == []
    return plan


def route_of(plan: Plan, vehicle_id: str) -> list[str]:
    return next([v.stop_id for v in r.visits] for r in plan.routes if r.vehicle_id == vehicle_id)


def test_skills_send_the_cold_chain_stop_to_the_fridge_van():
    distance, duration = line([0, 100, 200])
    problem = Problem(
        vehicles=(van("plain"), van("fridge", skills=frozenset({"cold"}))),
        stops=(stop("milk", skills=frozenset({"cold"})), stop("rice")),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert "milk" in route_of(plan, "fridge")


def test_a_skill_no_vehicle_has_is_explained_with_the_missing_skill():
    distance, duration = line([0, 100])
    problem = Problem(
        vehicles=(van("plain"),),
        stops=(stop("chair", skills=frozenset({"lift"})),),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert [(u.reason, u.fix) for u in plan.unassigned] == [
        (UnassignedReason.MISSING_SKILL, Fix(FixKind.VEHICLE_WITH_SKILLS, ("lift",)))
    ]


def test_second_window_is_used_when_the_first_is_missed():
    distance, duration = line([0, 5000])
    afternoon = TimeWindow(12 * H, 13 * H)
    problem = Problem(
        vehicles=(van("v"),),
        stops=(stop("a", window=TimeWindow(8 * H, 8 * H + 100), more_windows=(afternoon,)),),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert plan.routes[0].visits[0].arrival == 12 * H


def test_window_closing_too_early_suggests_how_far_to_widen_it():
    distance, duration = line([0, 1000])
    problem = Problem(
        vehicles=(van("v"),),
        stops=(stop("early", window=TimeWindow(8 * H, 8 * H + 500)),),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert [(u.reason, u.fix) for u in plan.unassigned] == [
        (UnassignedReason.WINDOW_UNREACHABLE, Fix(FixKind.WIDEN_WINDOW, 8 * H + 1000))
    ]


def test_demand_above_capacity_suggests_splitting_into_enough_parts():
    distance, duration = line([0, 100])
    problem = Problem(
        vehicles=(van("v", capacity=10),), stops=(stop("big", demand=25),), distance=distance, duration=duration
    )

    plan = solved(problem)

    assert [(u.reason, u.fix) for u in plan.unassigned] == [
        (UnassignedReason.DEMAND_ABOVE_CAPACITY, Fix(FixKind.SPLIT_ORDER, 3))
    ]


def test_capacity_binds_in_every_dimension():
    distance, duration = line([0, 100, 200])
    light_but_bulky = Stop("bulky", demand=(1, 80), window=DAY)
    heavy_but_small = Stop("heavy", demand=(9, 30), window=DAY)
    problem = Problem(
        vehicles=(Vehicle("v", capacity=(10, 100), shift=DAY),),
        stops=(light_but_bulky, heavy_but_small),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert len(plan.routes[0].visits) == 1  # weight fits (10), volume does not (110 > 100)
    assert [u.reason for u in plan.unassigned] == [UnassignedReason.NO_CAPACITY_TODAY]


def test_left_out_for_capacity_suggests_another_vehicle_and_lists_urgent_first():
    distance, duration = line([0, 100, 200, 300])
    problem = Problem(
        vehicles=(van("v", capacity=5),),
        stops=(
            stop("low", demand=5, priority=Priority.LOW),
            stop("urgent", demand=5, priority=Priority.URGENT),
            stop("normal", demand=5, priority=Priority.NORMAL),
        ),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert route_of(plan, "v") == ["urgent"]
    assert [(u.stop_id, u.fix) for u in plan.unassigned] == [
        ("normal", Fix(FixKind.MORE_VEHICLES, "v")),
        ("low", Fix(FixKind.MORE_VEHICLES, "v")),
    ]


def test_pickup_comes_before_its_delivery_on_the_same_vehicle():
    # Pharmacy far out at 900, home at 100: the cheapest tour would visit the home first.
    distance, duration = line([0, 100, 900])
    problem = Problem(
        vehicles=(van("a"), van("b")),
        stops=(stop("home", demand=0), stop("pharmacy", demand=0)),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
    )

    plan = solved(problem)

    (route,) = plan.routes
    assert [v.stop_id for v in route.visits] == ["pharmacy", "home"]


def test_a_delivery_whose_pickup_cannot_be_served_is_left_out_with_its_partner():
    distance, duration = line([0, 100, 200])
    problem = Problem(
        vehicles=(van("v"),),
        stops=(stop("home"), stop("pharmacy", skills=frozenset({"medication"}))),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
    )

    plan = solved(problem)

    assert {(u.stop_id, u.reason) for u in plan.unassigned} == {
        ("pharmacy", UnassignedReason.MISSING_SKILL),
        ("home", UnassignedReason.PARTNER_UNASSIGNED),
    }


def test_locked_stops_keep_their_vehicle_and_position():
    distance, duration = line([0, 100, 200, 300])
    problem = Problem(
        vehicles=(van("a"), van("b")),
        stops=(stop("x"), stop("y", locked_vehicle="b", locked_position=1), stop("z", locked_vehicle="b")),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert route_of(plan, "b")[0] == "y"
    assert "z" in route_of(plan, "b")


def test_a_stop_locked_to_a_vehicle_not_in_the_fleet_is_explained():
    distance, duration = line([0, 100])
    problem = Problem(
        vehicles=(van("a"),), stops=(stop("x", locked_vehicle="gone"),), distance=distance, duration=duration
    )

    assert [u.reason for u in solved(problem).unassigned] == [UnassignedReason.LOCKED_VEHICLE_MISSING]


def test_each_vehicle_leaves_from_and_returns_to_its_own_depot():
    # Depots at 0 and 10000; stops next to each depot.
    distance, duration = line([0, 10000, 100, 10100])
    problem = Problem(
        vehicles=(van("west", start_depot=0), van("east", start_depot=1)),
        stops=(stop("near-west"), stop("near-east")),
        distance=distance,
        duration=duration,
        depots=(Depot("w"), Depot("e")),
    )

    plan = solved(problem)

    assert route_of(plan, "west") == ["near-west"]
    assert route_of(plan, "east") == ["near-east"]
    assert plan.distance == 400


def test_the_break_is_taken_inside_its_window_and_delays_later_stops():
    distance, duration = line([0, 600, 1200])
    rest = TimeWindow(8 * H + 600, 8 * H + 700)
    problem = Problem(
        vehicles=(van("v", rest=Break(rest, 1800)),),
        stops=(stop("a", service_time=0), stop("b", service_time=0)),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    route = plan.routes[0]
    assert rest.start <= route.break_start <= rest.end
    assert route.visits[-1].arrival >= route.start + 1200 + 1800


def test_a_fixed_cost_makes_one_van_do_both_stops():
    distance, duration = line([0, 100, 200])
    problem = Problem(
        vehicles=(van("a", fixed_cost=10_000), van("b", fixed_cost=10_000)),
        stops=(stop("x"), stop("y")),
        distance=distance,
        duration=duration,
    )

    assert len(solved(problem).routes) == 1


def seven_stops_two_vans() -> Problem:
    """Scattered stops, more than one van can carry: enough choice for the search to wander."""
    points = [0, 700, 150, 900, 320, 60, 480, 820]
    distance, duration = line(points)
    return Problem(
        vehicles=(van("a", capacity=4), van("b", capacity=4)),
        stops=tuple(stop(f"s{i}") for i in range(1, len(points))),
        distance=distance,
        duration=duration,
    )


def test_the_same_input_and_solution_limit_give_the_same_plan():
    problem = seven_stops_two_vans()
    options = SearchOptions(time_limit_s=10, solution_limit=200)

    assert solve(problem, options=options) == solve(problem, options=options)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (Route("v", (Visit("a", 8 * H, 8 * H),), 8 * H, 8 * H + 200, 200, (1,)), "earlier than it can be reached"),
        (Route("v", (Visit("a", 15 * H, 15 * H),), 8 * H, 15 * H + 100, 200, (1,)), "outside its windows"),
        (Route("v", (Visit("a", 8 * H + 100, 8 * H + 100),), 8 * H, 8 * H + 200, 999, (1,)), "add up to 200 m"),
    ],
)
def test_the_checker_names_what_a_broken_plan_gets_wrong(broken, message):
    distance, duration = line([0, 100])
    problem = Problem(vehicles=(van("v"),), stops=(stop("a"),), distance=distance, duration=duration)

    violations = plan_violations(problem, Plan(routes=(broken,)))

    assert any(message in v for v in violations), violations


def test_problem_with_a_vehicle_at_a_missing_depot_is_refused():
    distance, duration = line([0, 100])
    with pytest.raises(ValueError, match="depot 3, which does not exist"):
        Problem(vehicles=(van("v", start_depot=3),), stops=(stop("a"),), distance=distance, duration=duration)


def test_a_day_of_several_parts_is_split_solved_in_two_processes_and_valid():
    # The full city day (2,000 stops, 60 vans) is measured by `make bench`; four parts over three depots are
    # enough to exercise the split, the process pool and the leftovers here.
    from routing.solver.decompose import solve_large, split
    from routing.solver.generate import city_day

    problem, _locations = city_day(stops=600, vehicles=18, depots=3)

    parts = split(problem)
    plan = solve_large(problem, time_limit_s=8, workers=2)

    assert len(parts) == 4
    assert sorted(s.id for p in parts for s in p.stops) == sorted(s.id for s in problem.stops)
    assert sum(len(p.vehicles) for p in parts) == 18
    assert plan_violations(problem, plan) == []
    assert [u for u in plan.unassigned if u.priority == Priority.URGENT] == []


def test_splitting_keeps_pairs_and_locked_stops_with_their_vehicle():
    from dataclasses import replace

    from routing.solver.decompose import split
    from routing.solver.generate import city_day

    problem, _locations = city_day(stops=400, vehicles=8, depots=2, seed=3)
    stops = list(problem.stops)
    stops[5] = replace(stops[5], locked_vehicle="van-07")
    problem = replace(problem, stops=tuple(stops), pairs=(("s0010", "s0390"),))

    parts = split(problem)

    (home,) = [p for p in parts if "van-07" in {v.id for v in p.vehicles}]
    assert "s0005" in {s.id for s in home.stops}
    (pair_part,) = [p for p in parts if "s0010" in {s.id for s in p.stops}]
    assert pair_part.pairs == (("s0010", "s0390"),)


def test_a_horizon_longer_than_a_day_is_planned():
    # Benchmarks scale their clock (Solomon ×100): times far beyond 24 h must not break the model.
    distance, duration = line([0, 50_000, 100_000])
    long_day = TimeWindow(0, 339_000)
    problem = Problem(
        vehicles=(van("v", shift=long_day),),
        stops=(stop("a", window=TimeWindow(200_000, 250_000)), stop("b", window=long_day)),
        distance=distance,
        duration=duration,
    )

    plan = solved(problem)

    assert plan.unassigned == ()
    assert plan.distance == 200_000


def test_a_late_urgent_stop_is_fitted_into_the_published_plan_without_moving_the_others():
    # Two vans with published routes; a late urgent stop appears next to van b's first stop.
    distance, duration = line([0, 100, 200, 1000, 1100, 150])
    published = {"a": ["s1", "s2"], "b": ["s3", "s4"]}
    stops = (
        stop("s1", locked_vehicle="a"),
        stop("s2", locked_vehicle="a"),
        stop("s3", locked_vehicle="b"),
        stop("s4", locked_vehicle="b"),
        stop("late", priority=Priority.URGENT),
    )
    problem = Problem(vehicles=(van("a"), van("b")), stops=stops, distance=distance, duration=duration)

    plan = solve(problem, options=SearchOptions(time_limit_s=2, solution_limit=50), start_from=published)

    assert plan_violations(problem, plan) == []
    assert plan.unassigned == ()
    # "late" sits between s1 and s2 on the line: it costs nothing there, and the locked stops keep their vans.
    assert route_of(plan, "a") in (["s1", "late", "s2"], ["s2", "late", "s1"])
    assert route_of(plan, "b") in (["s3", "s4"], ["s4", "s3"])
