"""Solver behaviour on tiny named instances, without Django or a database."""

from routing.solver import (
    Location,
    Priority,
    Problem,
    Stop,
    TimeWindow,
    UnassignedReason,
    Vehicle,
    plan_violations,
    solve,
)
from routing.solver.distances import haversine_m, road_matrices

DAY = TimeWindow(8 * 3600, 14 * 3600)


def line_problem(stops, vehicles, spacing=1000):
    """Depot at 0 and stop i at i × spacing metres along a line; one metre takes one second."""
    points = range(len(stops) + 1)
    matrix = tuple(tuple(abs(a - b) * spacing for b in points) for a in points)
    return Problem(vehicles=tuple(vehicles), stops=tuple(stops), distance=matrix, duration=matrix)


def stop(name, demand=1, window=DAY, priority=Priority.NORMAL, service=0):
    return Stop(id=name, demand=(demand,), window=window, service_time=service, priority=priority)


def van(name, capacity=10, shift=DAY):
    return Vehicle(id=name, capacity=(capacity,), shift=shift)


def test_stops_on_a_line_are_served_in_one_round_as_short_as_out_and_back():
    problem = line_problem([stop("a"), stop("b"), stop("c")], [van("v1")])

    plan = solve(problem, time_limit_s=1)

    assert plan_violations(problem, plan) == []
    # On a line every order that turns once is as short as a-b-c; the engines may pick any of them.
    assert sorted(v.stop_id for v in plan.routes[0].visits) == ["a", "b", "c"]
    assert plan.distance == 6000
    assert plan.unassigned == ()


def test_arrival_times_follow_travel_and_service():
    problem = line_problem([stop("a", service=300), stop("b", service=300)], [van("v1")])

    plan = solve(problem, time_limit_s=1)

    visits = {v.stop_id: v for v in plan.routes[0].visits}
    first, second = sorted(visits.values(), key=lambda v: v.arrival)
    assert second.arrival - first.departure == 1000
    assert first.departure - first.arrival == 300


def test_capacity_splits_stops_across_two_vans():
    problem = line_problem([stop("a", demand=6), stop("b", demand=6)], [van("v1"), van("v2")])

    plan = solve(problem, time_limit_s=1)

    assert plan_violations(problem, plan) == []
    assert sorted(len(r.visits) for r in plan.routes) == [1, 1]
    assert all(r.load == (6,) for r in plan.routes)


def test_demand_above_every_capacity_is_explained():
    problem = line_problem([stop("huge", demand=11), stop("ok")], [van("v1")])

    plan = solve(problem, time_limit_s=1)

    assert [(u.stop_id, u.reason) for u in plan.unassigned] == [("huge", UnassignedReason.DEMAND_ABOVE_CAPACITY)]
    assert plan_violations(problem, plan) == []


def test_window_closing_before_the_van_can_arrive_is_explained():
    early = stop("early", window=TimeWindow(8 * 3600, 8 * 3600 + 500))  # 1 km away, van leaves at 8:00

    problem = line_problem([stop("near"), early], [van("v1")], spacing=1000)
    plan = solve(problem, time_limit_s=1)

    assert [(u.stop_id, u.reason) for u in plan.unassigned] == [("early", UnassignedReason.WINDOW_UNREACHABLE)]


def test_when_capacity_runs_out_the_low_priority_stop_is_left_out_not_the_urgent_one():
    stops = [
        stop("urgent", demand=6, priority=Priority.URGENT),
        stop("low", demand=6, priority=Priority.LOW),
    ]
    problem = line_problem(stops, [van("v1")])

    plan = solve(problem, time_limit_s=1)

    assert [v.stop_id for v in plan.routes[0].visits] == ["urgent"]
    assert [(u.stop_id, u.reason) for u in plan.unassigned] == [("low", UnassignedReason.NO_CAPACITY_TODAY)]


def test_no_vehicles_leaves_every_stop_out_with_that_reason():
    problem = line_problem([stop("a"), stop("b")], [])

    plan = solve(problem, time_limit_s=1)

    assert plan.routes == ()
    assert {(u.stop_id, u.reason) for u in plan.unassigned} == {
        ("a", UnassignedReason.NO_VEHICLES),
        ("b", UnassignedReason.NO_VEHICLES),
    }


def test_shift_end_binds_the_return_to_depot():
    short_shift = TimeWindow(8 * 3600, 8 * 3600 + 2500)  # out 1 km and back fits; out 2 km and back does not
    problem = line_problem([stop("a"), stop("b")], [van("v1", shift=short_shift)])

    plan = solve(problem, time_limit_s=1)

    assert [v.stop_id for v in plan.routes[0].visits] == ["a"]
    assert [(u.stop_id, u.reason) for u in plan.unassigned] == [("b", UnassignedReason.WINDOW_UNREACHABLE)]


def test_checker_catches_an_overloaded_route():
    from routing.solver import Plan, Route, Visit

    problem = line_problem([stop("a", demand=8), stop("b", demand=8)], [van("v1")])
    bad = Plan(
        routes=(Route("v1", (Visit("a", 29800, 29800), Visit("b", 30800, 30800)), 28800, 32800, 4000, (16,)),),
    )

    assert plan_violations(problem, bad) == ["v1 carries 16 in dimension 0, capacity 10"]


def test_problem_with_a_wrong_size_matrix_is_refused():
    import pytest

    with pytest.raises(ValueError, match="must be 2×2"):
        Problem(vehicles=(van("v1"),), stops=(stop("a"),), distance=((0,),), duration=((0,),))


def test_haversine_between_two_cartagena_points_is_about_a_kilometre():
    town_hall = Location(37.5987, -0.9860)
    north = Location(37.6077, -0.9860)  # 0.009° of latitude north

    assert round(haversine_m(town_hall, north)) == 1001


def test_road_matrix_stretches_distance_and_rounds_time_up():
    distance, duration = road_matrices(
        [Location(37.5987, -0.9860), Location(37.6077, -0.9860)], road_factor=1.5, speed_kmh=36
    )

    assert distance[0][1] == 1501
    assert duration[0][1] == 151  # 1501 m at 10 m/s, rounded up
    assert distance[0][0] == 0


def test_the_search_reports_each_better_plan_to_the_caller():
    problem = line_problem([stop(name) for name in "abcdef"], [van("v1"), van("v2")])
    found = []

    plan = solve(problem, time_limit_s=1, on_solution=lambda: found.append(1))

    assert plan_violations(problem, plan) == []
    assert len(found) >= 1  # at least the first solution; the guided search usually finds more
