"""How the engine spends two cores and what PyVRP now models: two PyVRP searches above small days, fleet
minimisation under fewest vans, pharmacy pairs as PyVRP shipments, a large day's plan searched again whole, and the
city-day generator's pharmacy runs. No database; searches stop on iteration limits, not on the clock."""

from dataclasses import replace

from routing.solver import (
    Break,
    Depot,
    Objective,
    Plan,
    Problem,
    TimeWindow,
    plan_violations,
    solve,
)
from routing.solver.engine import RACE_ORTOOLS_UP_TO, improve
from routing.solver.generate import PHARMACY_HOURS, city_day
from routing.solver.pyvrp_engine import (
    _Translation,
    fit_pairs,
    fleet_minimisable,
    solve_pyvrp,
    timed_route,
    unsupported,
)
from routing.solver.solve import SearchOptions, screened

# The engine's Django-free set-up (no database fixtures), its line matrices, vans and stops.
from routing.tests.test_engine import DAY, H, _eager_celery, _require_postgres, line, stop, van  # noqa: F401

REPEATABLE = SearchOptions(time_limit_s=60, solution_limit=20, iteration_limit=200, seed=3)


def bigger_than_a_race() -> Problem:
    """One depot, one kind of van, more stops than OR-Tools races PyVRP on."""
    problem, _ = city_day(stops=RACE_ORTOOLS_UP_TO + 10, vehicles=6, depots=1, seed=11)
    return problem


def stops_of(plan: Plan) -> dict[str, list[str]]:
    return {r.vehicle_id: [v.stop_id for v in r.visits] for r in plan.routes}


# --- Two cores ---------------------------------------------------------------------------------------------------


def test_above_a_small_day_both_cores_search_with_pyvrp_on_two_seeds_then_two_more_from_the_better_and_repeat():
    problem = bigger_than_a_race()

    first = solve(problem, objective=Objective.DISTANCE, options=REPEATABLE, workers=2)
    second = solve(problem, objective=Objective.DISTANCE, options=REPEATABLE, workers=2)

    assert plan_violations(replace(problem, objective=Objective.DISTANCE), first) == []
    assert first == second
    assert first.engine == "pyvrp"
    assert first.engine_note.startswith(
        "two PyVRP searches side by side (seeds 3 and 4 for half the time, then 5 and 6 from the better plan); "
    )


def test_a_small_day_still_races_ortools():
    distance, duration = line([0, 100, 200])
    problem = Problem(vehicles=(van("v"),), stops=(stop("a"), stop("b")), distance=distance, duration=duration)

    plan = solve(problem, objective=Objective.DISTANCE, options=REPEATABLE, workers=2)

    assert plan.engine_note.startswith("raced side by side; ")


def test_fewest_vans_with_one_kind_of_van_races_fleet_minimisation_against_a_vans_fixed_cost():
    problem = bigger_than_a_race()

    plan = solve(problem, objective=Objective.VANS, options=REPEATABLE, workers=2)

    assert fleet_minimisable(problem)
    assert plan_violations(problem, plan) == []
    assert plan.engine_note.startswith("two PyVRP searches side by side (a van's fixed cost and fleet minimisation); ")


def test_fleet_minimisation_finds_the_one_van_a_day_needs():
    points = [0, 100, 200, 300, 400]
    distance, duration = line(points)
    problem = Problem(
        vehicles=tuple(van(f"v{k}") for k in range(4)),
        stops=tuple(stop(f"s{k}") for k in range(1, len(points))),
        distance=distance,
        duration=duration,
    )

    plan = solve_pyvrp(problem, time_limit_s=30, iterations=300, minimise_fleet=True)
    again = solve_pyvrp(problem, time_limit_s=30, iterations=300, minimise_fleet=True)

    assert plan_violations(problem, plan) == []
    assert len(plan.routes) == 1
    assert plan == again


def test_fleet_minimisation_does_not_apply_to_depots_of_their_own_or_an_over_full_day():
    distance, duration = line([0, 50, 100])
    two_depots = Problem(
        vehicles=(van("a"), van("b", start_depot=1)),
        stops=(stop("s"),),
        distance=distance,
        duration=duration,
        depots=(Depot("first"), Depot("second")),
    )
    over_full = Problem(
        vehicles=(van("a", capacity=1),), stops=(stop("s"), stop("t")), distance=distance, duration=duration
    )

    assert not fleet_minimisable(two_depots)
    assert not fleet_minimisable(over_full)


# --- Pharmacy pairs in PyVRP -------------------------------------------------------------------------------------


def test_pyvrp_plans_a_pair_on_one_van_pickup_first():
    # Pharmacy at 900 m, home at 100 m: the van passes the home first, but must fetch the bag before.
    distance, duration = line([0, 900, 100, 500])
    problem = Problem(
        vehicles=(van("v1"), van("v2")),
        stops=(stop("pharmacy"), stop("home", demand=0), stop("other")),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
        objective=Objective.DISTANCE,
    )

    plan = solve_pyvrp(problem, time_limit_s=30, iterations=300)

    assert unsupported(problem) == []
    assert plan_violations(problem, plan) == []
    (route,) = [r for r in plan.routes if "home" in [v.stop_id for v in r.visits]]
    order = [v.stop_id for v in route.visits]
    assert order.index("pharmacy") < order.index("home")


def test_a_pair_with_a_second_window_goes_to_ortools():
    distance, duration = line([0, 100, 200])
    problem = Problem(
        vehicles=(van("v"),),
        stops=(stop("pharmacy", more_windows=(TimeWindow(15 * H, 16 * H),)), stop("home")),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
    )

    assert unsupported(problem) == ["pickup-and-delivery pairs with several windows"]
    assert solve(problem, options=REPEATABLE).engine == "ortools"


def test_a_plan_goes_into_pyvrp_and_comes_back_the_same():
    problem, _ = city_day(stops=30, vehicles=3, depots=2, seed=4, pairs=2)
    plan = solve_pyvrp(problem, time_limit_s=30, iterations=100)
    translation = _Translation(problem, [i for i in range(len(problem.stops)) if i not in screened(problem)])

    routes, dropped = translation.read(translation.solution(plan))

    assert (stops_of(Plan(tuple(routes))), dropped) == (stops_of(plan), [])


# --- A large day's plan searched again whole ---------------------------------------------------------------------


def one_van_per_stop(problem: Problem) -> Plan:
    routes = [timed_route(problem, v, [i]) for i, v in enumerate(problem.vehicles[: len(problem.stops)])]
    return Plan(routes=tuple(routes))


def test_searching_the_whole_day_from_a_plan_keeps_every_rule_and_drops_vans():
    points = [0, 100, 200, 300, 400]
    distance, duration = line(points)
    problem = Problem(
        vehicles=tuple(van(f"v{k}") for k in range(4)),
        stops=tuple(stop(f"s{k}") for k in range(1, len(points))),
        distance=distance,
        duration=duration,
    )
    poor = one_van_per_stop(problem)

    better = improve(problem, poor, time_limit_s=30, workers=1, iterations=200)

    assert plan_violations(problem, poor) == plan_violations(problem, better) == []
    assert (len(poor.routes), len(better.routes)) == (4, 1)
    assert better.engine_note == "planned as given; then PyVRP searched the whole day from those routes"


def test_a_day_with_breaks_is_not_searched_again_by_pyvrp():
    distance, duration = line([0, 100])
    problem = Problem(
        vehicles=(van("v", rest=Break(TimeWindow(10 * H, 11 * H), 900)),),
        stops=(stop("s"),),
        distance=distance,
        duration=duration,
    )
    plan = one_van_per_stop(problem)

    assert improve(problem, plan, time_limit_s=5) is plan


# --- The city day's pharmacy runs --------------------------------------------------------------------------------


def test_pharmacy_runs_come_on_top_of_the_same_day():
    plain, _ = city_day(stops=40, vehicles=3, depots=2, seed=9)
    with_runs, points = city_day(stops=40, vehicles=3, depots=2, seed=9, pairs=4)

    assert with_runs.stops[:40] == plain.stops
    assert len(with_runs.stops) == len(points) - 2 == 48
    assert with_runs.pairs == tuple((f"p{k:03d}-pickup", f"p{k:03d}-home") for k in range(4))
    by_id = {s.id: s for s in with_runs.stops}
    for pickup, home in with_runs.pairs:
        assert by_id[pickup].window in PHARMACY_HOURS
        assert by_id[home].window.start == by_id[pickup].window.start


def test_a_city_day_with_pharmacy_runs_plans_each_pickup_before_its_delivery_on_one_van():
    problem, _ = city_day(stops=60, vehicles=5, depots=2, seed=5, pairs=4)

    plan = solve(problem, options=REPEATABLE)

    assert plan_violations(problem, plan) == []
    assert plan.unassigned == ()


def test_a_round_over_capacity_by_our_rule_gives_its_pharmacy_pair_to_a_van_with_room():
    # PyVRP's load: the bag rides only from the pharmacy to the home, so van "full" takes it after the parcel is
    # out. Our rule counts the parcel and the bag for the whole round: 9 + 2 > 10.
    distance, duration = line([0, 100, 200, 300])
    problem = Problem(
        vehicles=(van("full"), van("spare")),
        stops=(stop("parcel", demand=9), stop("pharmacy", demand=2), stop("home", demand=0)),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
    )
    over = timed_route(problem, problem.vehicles[0], [0, 1, 2])

    routes, dropped = fit_pairs(problem, [over], [], [(1, 2)])
    plan = Plan(routes=tuple(routes))

    assert over.load == (11,)
    assert stops_of(plan) == {"full": ["parcel"], "spare": ["pharmacy", "home"]}
    assert dropped == []
    assert plan_violations(problem, plan) == []


def test_a_pair_that_fits_nowhere_is_left_out_whole():
    distance, duration = line([0, 100, 200, 300])
    problem = Problem(
        vehicles=(van("only"),),
        stops=(stop("parcel", demand=9), stop("pharmacy", demand=2), stop("home", demand=0)),
        distance=distance,
        duration=duration,
        pairs=(("pharmacy", "home"),),
    )
    over = timed_route(problem, problem.vehicles[0], [0, 1, 2])

    routes, dropped = fit_pairs(problem, [over], [], [(1, 2)])

    assert stops_of(Plan(routes=tuple(routes))) == {"only": ["parcel"]}
    assert dropped == [1, 2]


def test_a_split_day_with_pharmacy_runs_is_searched_whole_after_its_parts_and_keeps_every_rule():
    from routing.solver.decompose import solve_large, splits

    problem, _ = city_day(stops=200, vehicles=8, depots=2, seed=6, pairs=3)

    plan = solve_large(problem, time_limit_s=6, workers=1, map_parts=map)

    assert splits(problem)
    assert plan_violations(problem, plan) == []
    assert plan.unassigned == ()
    assert plan.engine_note.startswith("planned in ")
