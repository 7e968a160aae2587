"""python -m routing.bench PATH... --time-limit S --csv OUT [--objective vans|distance|balanced] [--baseline]
[--pyvrp]: our engine against the BKS, stock OR-Tools and PyVRP alone, side by side in one run."""

import argparse
import shlex
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from routing.bench.baseline import solve_baseline
from routing.bench.bks import bks_beside
from routing.bench.convert import VRPTW_SCALE, to_problem
from routing.bench.instances import InstanceError, instance_paths, read_instance
from routing.bench.pyvrp_alone import solve_pyvrp_alone
from routing.bench.report import text_table, write_csv, write_markdown
from routing.bench.run import Outcome, Row, run_solver
from routing.solver import Objective, Plan, Problem, solve

REPO_ROOT = Path(__file__).resolve().parents[2]


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 seconds")
    return value


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number of at least 1")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m routing.bench",
        description="Solve Solomon/Gehring-Homberger (.txt) and CVRPLIB (.vrp) instances and compare with bks.csv.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="instance files or directories of them")
    parser.add_argument("--time-limit", type=positive_float, default=30.0, metavar="S", help="seconds per solve")
    parser.add_argument("--csv", type=Path, required=True, metavar="OUT", help="where to write the CSV table")
    parser.add_argument("--baseline", action="store_true", help="also run stock OR-Tools for a side-by-side")
    parser.add_argument(
        "--pyvrp", action="store_true", help="also run PyVRP alone (its defaults, one core, distance only)"
    )
    parser.add_argument(
        "--objective",
        choices=[o.value for o in Objective],
        default=Objective.DISTANCE.value,
        help="what our engine minimises: fewest vans then distance, distance, or the longest round (default distance)",
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        default=REPO_ROOT / "benchmarks" / "results.md",
        metavar="MD",
        help="where to write the Markdown table (default: benchmarks/results.md)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=2,
        help="cores for our solver: its engines run side by side (default 2)",
    )
    parser.add_argument(
        "--scale",
        type=positive_int,
        default=VRPTW_SCALE,
        help=f"VRPTW integer scale for distances and times (default {VRPTW_SCALE})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        paths = instance_paths(args.paths)
        # Read everything before solving anything: a bad file should stop the run now, not twenty minutes in.
        instances = [read_instance(path) for path in paths]
        best_known = bks_beside(paths)
    except InstanceError as error:
        parser.error(str(error))

    rows: list[Row] = []
    for path, instance in zip(paths, instances, strict=True):
        problem = to_problem(instance, scale=args.scale)
        _log(f"{instance.name}: {instance.customers} customers, {len(problem.vehicles)} vehicles offered")
        ours_solver = partial(_ours, workers=args.workers, objective=Objective(args.objective))
        ours = run_solver(instance, problem, ours_solver, time_limit_s=args.time_limit)
        _log_outcome(f"ours ({ours.engine})", ours)
        baseline = None
        if args.baseline:
            baseline = run_solver(instance, problem, solve_baseline, time_limit_s=args.time_limit)
            _log_outcome("baseline", baseline)
        alone = None
        if args.pyvrp:
            alone = run_solver(instance, problem, solve_pyvrp_alone, time_limit_s=args.time_limit)
            _log_outcome("pyvrp alone", alone)
        bks = best_known.get(path)
        kind = bks.kind if bks else instance.kind
        rows.append(Row(instance.name, kind, instance.customers, len(problem.vehicles), ours, bks, baseline, alone))

    sys.stdout.write(text_table(rows, args.baseline, args.pyvrp))
    write_csv(args.csv, rows, args.baseline, args.pyvrp)
    command = shlex.join(["python", "-m", "routing.bench", *(argv if argv is not None else sys.argv[1:])])
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = [
        f"Objective (ours): {args.objective}. PyVRP alone: its defaults, seed 0, one core, distance only. "
        "Timings come from a shared 2-core machine and vary from run to run."
    ]
    write_markdown(args.markdown, rows, args.baseline, command=command, date=date, with_pyvrp=args.pyvrp, notes=notes)
    return 0


def _ours(problem: Problem, *, time_limit_s: float, workers: int, objective: Objective) -> Plan:
    return solve(problem, time_limit_s=time_limit_s, workers=workers, objective=objective)


def _log(message: str) -> None:
    # Progress goes to stderr so stdout carries only the table.
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _log_outcome(label: str, outcome: Outcome) -> None:
    status = "feasible" if outcome.feasible else f"INFEASIBLE ({outcome.note})"
    _log(f"  {label}: {outcome.vehicles} vehicles, {outcome.distance:.2f}, {status}, {outcome.seconds:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
