"""The benchmark harness on tiny hand-written instances: no Django, no database."""

import csv
import math

import pytest

from routing.bench.__main__ import main
from routing.bench.baseline import solve_baseline
from routing.bench.bks import BestKnown, bks_beside, read_bks
from routing.bench.convert import plan_distance, to_problem
from routing.bench.instances import InstanceError, cvrp_fleet, read_instance
from routing.bench.report import cells, gap_percent
from routing.bench.run import Outcome, Row, run_solver
from routing.solver import Plan, Route, Unassigned, UnassignedReason, Visit, solve

# Depot at the origin, two customers on the x axis and one off it, so one arc (2 -> 3) is sqrt(17), not an integer.
# The best plan is one vehicle 0-1-2-3-0: 1 + 1 + sqrt(17) + 5; splitting it or visiting in another order is longer.
TINY_SOLOMON = """TINY

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.  XCOORD.    YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE TIME

    0       0          0          0          0        100          0
    1       1          0          3          0         50          2
    2       2          0          4          5         60          2
    3       3          4          3          0         80          2
"""
TINY_OPTIMUM = 7 + math.sqrt(17)

TINY_VRP = """NAME : tiny-n4-k2
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 1 1
4 0 7
DEMAND_SECTION
1 0
2 5
3 6
4 4
DEPOT_SECTION
1
-1
EOF
"""

BKS_CSV = """name,kind,n,vehicles,bks_distance,source
TINY,vrptw-solomon,3,1,11.12,hand-computed
tiny-n4-k2,cvrp-x,3,2,24,hand-computed
"""

CSV_HEADER = [
    "name",
    "kind",
    "n",
    "fleet",
    "vehicles",
    "distance",
    "bks_vehicles",
    "bks_distance",
    "gap_pct",
    "feasible",
    "seconds",
    "engine",
]
BASELINE_HEADER = ["base_vehicles", "base_distance", "base_gap_pct", "base_feasible", "base_seconds", "ratio"]
PYVRP_HEADER = ["pyvrp_vehicles", "pyvrp_distance", "pyvrp_gap_pct", "pyvrp_feasible", "pyvrp_seconds", "pyvrp_ratio"]


# These tests need neither Django nor Celery: replacing the project-wide autouse fixtures (which use
# pytest-django's `settings`) lets them run under `-p no:django` as well.
@pytest.fixture(autouse=True)
def _eager_celery():
    return


@pytest.fixture(autouse=True)
def _require_postgres():
    return


@pytest.fixture
def tiny_txt(tmp_path):
    path = tmp_path / "TINY.txt"
    path.write_text(TINY_SOLOMON)
    return path


@pytest.fixture
def tiny_vrp(tmp_path):
    path = tmp_path / "tiny-n4-k2.vrp"
    path.write_text(TINY_VRP)
    return path


def one_route(*stop_ids, distance=0):
    visits = tuple(Visit(stop_id, 0, 0) for stop_id in stop_ids)
    return Route("v1", visits, start=0, end=0, distance=distance, load=(0,))


def read_csv(path):
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_solomon_file_is_read_with_demands_windows_service_and_fleet(tiny_txt):
    instance = read_instance(tiny_txt)

    assert instance.name == "TINY"
    assert instance.kind == "vrptw"
    assert instance.customers == 3
    assert (instance.vehicles, instance.capacity) == (2, 10)
    assert instance.demand == (0, 3, 4, 3)
    assert instance.ready == (0, 0, 5, 0)
    assert instance.due == (100, 50, 60, 80)
    assert instance.service == (0, 2, 2, 2)


def test_solomon_distances_are_euclidean_from_the_coordinates(tiny_txt):
    instance = read_instance(tiny_txt)

    assert instance.distance[0][1] == 1.0
    assert instance.distance[0][3] == 5.0
    assert instance.distance[2][3] == math.sqrt(17)
    assert instance.distance[3][2] == math.sqrt(17)


def test_vrptw_problem_is_scaled_by_100_with_travel_times_rounded_up(tiny_txt):
    problem = to_problem(read_instance(tiny_txt))

    assert problem.distance[2][3] == 412  # 412.31 to the nearest
    assert problem.duration[2][3] == 413  # 412.31 up, so integer-feasible means truly feasible
    assert problem.distance[0][3] == problem.duration[0][3] == 500
    assert [(s.id, s.demand, s.window.start, s.window.end, s.service_time) for s in problem.stops] == [
        ("1", (3,), 0, 5000, 200),
        ("2", (4,), 500, 6000, 200),
        ("3", (3,), 0, 8000, 200),
    ]
    assert [(v.id, v.capacity, v.shift.start, v.shift.end) for v in problem.vehicles] == [
        ("v1", (10,), 0, 10000),
        ("v2", (10,), 0, 10000),
    ]


def test_plan_distance_is_recomputed_in_double_precision_from_the_routes(tiny_txt):
    instance = read_instance(tiny_txt)
    plan = Plan(routes=(one_route("1", "2", "3", distance=1112),))

    assert plan_distance(instance, plan) == pytest.approx(TINY_OPTIMUM, abs=1e-12)
    assert plan_distance(instance, plan) != plan.distance / 100


def test_plan_distance_adds_every_route_out_and_back(tiny_txt):
    instance = read_instance(tiny_txt)
    plan = Plan(routes=(one_route("1"), one_route("3")))

    assert plan_distance(instance, plan) == 12.0


def test_our_solver_finds_the_known_optimum_of_the_tiny_file(tiny_txt):
    instance = read_instance(tiny_txt)

    outcome = run_solver(instance, to_problem(instance), solve, time_limit_s=1)

    assert (outcome.feasible, outcome.vehicles, outcome.note) == (True, 1, "")
    assert outcome.distance == pytest.approx(TINY_OPTIMUM, abs=1e-9)


def test_baseline_finds_the_known_optimum_and_passes_the_checker(tiny_txt):
    instance = read_instance(tiny_txt)

    outcome = run_solver(instance, to_problem(instance), solve_baseline, time_limit_s=1)

    assert (outcome.feasible, outcome.vehicles, outcome.note) == (True, 1, "")
    assert outcome.distance == pytest.approx(TINY_OPTIMUM, abs=1e-9)


def test_a_plan_that_leaves_stops_out_is_infeasible(tiny_txt):
    instance = read_instance(tiny_txt)

    def give_up(problem, *, time_limit_s):
        return Plan(routes=(), unassigned=tuple(Unassigned(s.id, UnassignedReason.NO_VEHICLES) for s in problem.stops))

    outcome = run_solver(instance, to_problem(instance), give_up, time_limit_s=1)

    assert (outcome.feasible, outcome.vehicles, outcome.distance) == (False, 0, 0.0)
    assert outcome.note == "3 of 3 stops unassigned"


def test_a_plan_the_checker_rejects_is_infeasible(tiny_txt):
    instance = read_instance(tiny_txt)

    # Times and load are right (integer data: 100 per unit, service 200, stop 2 opens at 500); the distance is not.
    visits = (Visit("1", 100, 300), Visit("2", 500, 700), Visit("3", 1113, 1313))
    route = Route("v1", visits, start=0, end=1813, distance=1, load=(10,))

    def wrong_distance(problem, *, time_limit_s):
        return Plan(routes=(route,))

    outcome = run_solver(instance, to_problem(instance), wrong_distance, time_limit_s=1)

    assert outcome.feasible is False
    assert outcome.note.startswith("1 violation(s), first: ")
    assert "1112" in outcome.note  # the checker's own sum of the integer arcs


def test_a_solver_that_raises_gives_an_infeasible_row_not_a_crash(tiny_txt):
    instance = read_instance(tiny_txt)

    def broken(problem, *, time_limit_s):
        raise RuntimeError("boom")

    outcome = run_solver(instance, to_problem(instance), broken, time_limit_s=1)

    assert (outcome.feasible, outcome.vehicles, outcome.note) == (False, 0, "solver raised RuntimeError: boom")


def test_gap_is_the_percentage_above_the_best_known():
    assert gap_percent(110.0, 100.0) == 10.0
    assert gap_percent(95.0, 100.0) == -5.0
    assert gap_percent(854.31, 828.94) == pytest.approx(3.0605351, abs=1e-6)


def test_a_gap_that_rounds_to_zero_prints_without_a_minus_sign():
    best = BestKnown(name="C101", kind="vrptw-solomon", vehicles=10, distance=828.94)
    ours = Outcome(vehicles=10, distance=828.9369, feasible=True, seconds=30.0)

    row = cells(Row("C101", "vrptw-solomon", 100, 25, ours, best), with_baseline=False)

    assert row == ["C101", "vrptw-solomon", "100", "25", "10", "828.94", "10", "828.94", "0.00", "yes", "30.0", ""]


def test_bks_row_is_found_by_file_name_in_the_csv_beside_the_instance(tmp_path, tiny_txt):
    (tmp_path / "bks.csv").write_text(BKS_CSV)
    other = tmp_path / "OTHER.txt"

    found = bks_beside([tiny_txt, other])

    assert found == {tiny_txt: BestKnown(name="TINY", kind="vrptw-solomon", vehicles=1, distance=11.12)}


def test_instances_without_a_bks_csv_have_no_best_known(tiny_txt):
    assert bks_beside([tiny_txt]) == {}


def test_bks_csv_without_a_distance_column_is_refused(tmp_path):
    (tmp_path / "bks.csv").write_text("name,kind,n,vehicles,source\nTINY,vrptw,3,1,x\n")

    with pytest.raises(InstanceError, match=r"missing column\(s\) bks_distance"):
        read_bks(tmp_path)


def test_vrp_file_is_read_with_distances_rounded_to_the_nearest_integer(tiny_vrp):
    instance = read_instance(tiny_vrp)

    assert (instance.name, instance.kind, instance.customers, instance.capacity) == ("tiny-n4-k2", "cvrp", 3, 10)
    assert instance.demand == (0, 5, 6, 4)
    assert instance.distance[0] == (0.0, 5.0, 1.0, 7.0)  # sqrt(2) = 1.41 rounds down
    assert instance.distance[1][3] == 4.0  # sqrt(18) = 4.24
    assert instance.distance[2][3] == 6.0  # sqrt(37) = 6.08
    assert instance.vehicles == 3  # k2 plus a margin, but never more than one per customer


def test_cvrp_problem_has_capacity_only(tiny_vrp):
    problem = to_problem(read_instance(tiny_vrp))

    assert problem.distance[0] == (0, 5, 1, 7)
    assert all(d == 0 for row in problem.duration for d in row)
    assert {(s.window.start, s.window.end) for s in problem.stops} == {(0, 24 * 3600)}
    assert [v.capacity for v in problem.vehicles] == [(10,), (10,), (10,)]


def test_cvrp_fleet_is_the_k_in_the_name_plus_a_margin():
    assert cvrp_fleet("X-n101-k25", 100) == 30
    assert cvrp_fleet("X-n502-k39", 501) == 47
    assert cvrp_fleet("E-n13-k4", 12) == 7
    assert cvrp_fleet("unnamed", 12) == 12


def test_cli_writes_the_csv_with_one_row_per_instance(tmp_path, tiny_txt, capsys):
    (tmp_path / "bks.csv").write_text(BKS_CSV)
    out, markdown = tmp_path / "out" / "results.csv", tmp_path / "results.md"

    code = main([str(tiny_txt), "--time-limit", "1", "--csv", str(out), "--markdown", str(markdown)])

    assert code == 0
    header, *rows = read_csv(out)
    assert header == CSV_HEADER
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert {k: row[k] for k in ("name", "kind", "n", "fleet", "vehicles", "distance", "feasible")} == {
        "name": "TINY",
        "kind": "vrptw-solomon",
        "n": "3",
        "fleet": "2",
        "vehicles": "1",
        "distance": "11.12",
        "feasible": "yes",
    }
    assert (row["bks_vehicles"], row["bks_distance"], row["gap_pct"]) == ("1", "11.12", "0.03")
    assert "mean gap (ours) over 1 feasible row(s): 0.03%" in capsys.readouterr().out
    assert markdown.read_text().startswith("# Routing benchmark\n\nCommand: `python -m routing.bench ")


def test_cli_on_a_directory_with_baseline_compares_both_solvers(tmp_path, tiny_txt, tiny_vrp):
    (tmp_path / "bks.csv").write_text(BKS_CSV)
    (tmp_path / "README.md").write_text("not an instance")
    out = tmp_path / "results.csv"

    code = main(
        [str(tmp_path), "--time-limit", "1", "--csv", str(out), "--baseline", "--markdown", str(tmp_path / "r.md")]
    )

    assert code == 0
    header, *rows = read_csv(out)
    assert header == CSV_HEADER + BASELINE_HEADER
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["name"], r["feasible"], r["base_feasible"]) for r in table] == [
        ("TINY", "yes", "yes"),
        ("tiny-n4-k2", "yes", "yes"),
    ]
    assert (table[0]["base_distance"], table[0]["ratio"]) == ("11.12", "1.000")  # both reach the optimum


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: no such file or directory"),
        ("instance.csv", "a,b\n", "unknown extension '.csv'; expected .txt (Solomon) or .vrp"),
        ("broken.txt", "not a solomon file\n", "cannot read as vrptw instance"),
    ],
)
def test_bad_input_exits_with_code_2_and_a_message_and_writes_nothing(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    out = tmp_path / "results.csv"

    with pytest.raises(SystemExit) as exit_info:
        main([str(path), "--time-limit", "1", "--csv", str(out), "--markdown", str(tmp_path / "r.md")])

    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == ([path] if content is not None else [])


def test_a_time_limit_of_zero_is_refused(tiny_txt, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(tiny_txt), "--time-limit", "0", "--csv", str(tmp_path / "out.csv")])

    assert exit_info.value.code == 2
    assert "'0' must be more than 0 seconds" in capsys.readouterr().err


def test_cli_with_pyvrp_alone_adds_its_columns_and_the_mean_ratio_per_family(tmp_path, tiny_txt, tiny_vrp, capsys):
    (tmp_path / "bks.csv").write_text(BKS_CSV)
    out = tmp_path / "results.csv"

    code = main(
        [str(tmp_path), "--time-limit", "1", "--csv", str(out), "--pyvrp", "--markdown", str(tmp_path / "r.md")]
    )

    assert code == 0
    header, *rows = read_csv(out)
    assert header == CSV_HEADER + PYVRP_HEADER
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["name"], r["distance"], r["pyvrp_distance"], r["pyvrp_ratio"]) for r in table] == [
        ("TINY", "11.12", "11.12", "1.000"),
        ("tiny-n4-k2", "18.00", "18.00", "1.000"),
    ]
    printed = capsys.readouterr().out
    assert "Solomon: mean distance ours/PyVRP alone 1.000 over 1 of 1 row(s), worst 1.000 (TINY)" in printed
    assert "CVRPLIB X: mean distance ours/PyVRP alone 1.000 over 1 of 1 row(s), worst 1.000 (tiny-n4-k2)" in printed


def test_an_unknown_objective_is_refused(tiny_txt, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(tiny_txt), "--objective", "cheapest", "--csv", str(tmp_path / "out.csv")])

    assert exit_info.value.code == 2
    assert "invalid choice: 'cheapest'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [tiny_txt]
