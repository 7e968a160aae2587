"""Solve one instance with one solver and judge the plan with the independent checker."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from routing.bench.bks import BestKnown
from routing.bench.convert import plan_distance, vehicles_used
from routing.bench.instances import Instance
from routing.solver import Plan, Problem, plan_violations

Solver = Callable[..., Plan]  # called as solver(problem, time_limit_s=...)


@dataclass(frozen=True)
class Outcome:
    vehicles: int
    distance: float  # instance units; double precision for VRPTW
    feasible: bool
    seconds: float
    note: str = ""  # why the plan is not feasible, for the log and the Markdown report
    engine: str = ""  # which engine made the plan (our dispatcher names it)
    engine_note: str = ""  # why that engine ran or which of its searches won


@dataclass(frozen=True)
class Row:
    name: str
    kind: str
    customers: int
    fleet: int
    ours: Outcome
    bks: BestKnown | None = None
    baseline: Outcome | None = None
    pyvrp: Outcome | None = None  # PyVRP alone, with its defaults


def run_solver(instance: Instance, problem: Problem, solver: Solver, *, time_limit_s: float) -> Outcome:
    """A plan counts as feasible only if the checker finds nothing wrong and no stop was left out."""
    started = time.perf_counter()
    try:
        plan = solver(problem, time_limit_s=time_limit_s)
    except Exception as error:
        # One solver crash must not throw away the other instances of a long run; the row says what happened.
        seconds = time.perf_counter() - started
        return Outcome(0, 0.0, False, seconds, f"solver raised {type(error).__name__}: {error}")
    seconds = time.perf_counter() - started
    violations = plan_violations(problem, plan)
    notes = []
    if plan.unassigned:
        notes.append(f"{len(plan.unassigned)} of {len(problem.stops)} stops unassigned")
    if violations:
        notes.append(f"{len(violations)} violation(s), first: {violations[0]}")
    return Outcome(
        vehicles=vehicles_used(plan),
        distance=plan_distance(instance, plan),
        feasible=not notes,
        seconds=seconds,
        note="; ".join(notes),
        engine=plan.engine,
        engine_note=plan.engine_note,
    )
