"""One `solve()` over two engines. Where PyVRP models the whole problem: on one core PyVRP alone; on two, up to
RACE_ORTOOLS_UP_TO stops PyVRP races OR-Tools, above it both cores run PyVRP (fewest vans with one kind of van:
fleet minimisation beside a van's fixed cost; otherwise two random streams). Where only OR-Tools models a rule,
OR-Tools (seeded with PyVRP's routes on a relaxed copy on the second core). The independent checker and the
planner's objective pick the plan, and the plan says which engine, or which of its searches, won and why."""

import multiprocessing
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from time import monotonic

from routing.solver.check import plan_violations
from routing.solver.model import Objective, Plan, Problem
from routing.solver.pyvrp_engine import fleet_minimisable, improve_pyvrp, solve_pyvrp, unsupported
from routing.solver.solve import DROP_PENALTY, SearchOptions
from routing.solver.solve import solve as solve_ortools

# In the seeded race, PyVRP gets this share of the time on the relaxed problem, OR-Tools the rest from its routes.
SEED_SHARE = 0.3
# Up to this many stops OR-Tools races PyVRP on the second core; above it, both cores search with PyVRP. Measured
# on generated city days of 15 to 200 stops at 5 s (both objectives, two seeds each): up to 30 stops the two tie,
# from 50 up PyVRP won 15 of 16 (OR-Tools once, by one van on 200 stops over three depots); PyVRP also won every
# public benchmark instance (100 to 1,000 stops).
RACE_ORTOOLS_UP_TO = 30
# Two PyVRP streams search apart for this share of the time, then both go on from the better plan.
EXCHANGE_AT = 0.5
# How long past the limit to wait for the other process before giving up on its plan.
GRACE_S = 5.0


def plan_score(problem: Problem, plan: Plan) -> tuple[int, ...]:
    """What the objective minimises, as a tuple compared in order (lower is better). Stops left out come first
    under every objective: no saving is worth an order not delivered."""
    vehicles = {v.id: v for v in problem.vehicles}
    dropped = sum(DROP_PENALTY[u.priority] for u in plan.unassigned)
    cost = sum(
        r.distance * vehicles[r.vehicle_id].distance_cost + vehicles[r.vehicle_id].fixed_cost for r in plan.routes
    )
    if problem.objective == Objective.VANS:
        return (dropped, len(plan.routes), cost)
    if problem.objective == Objective.BALANCED:
        return (dropped, max((r.distance for r in plan.routes), default=0), cost)
    return (dropped, cost)


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 5.0,
    options: SearchOptions | None = None,
    start_from: dict[str, list[str]] | None = None,
    on_solution: Callable[[], None] | None = None,
    objective: Objective | None = None,
    workers: int = 1,
) -> Plan:
    """Plan the problem with whichever engine fits it best; the plan lists every stop once, on a route or as
    unassigned with a reason, and names the engine that made it (`Plan.engine`, `Plan.engine_note`).

    `objective` overrides `problem.objective`. With `workers` >= 2 (and a process allowed to start others) the
    engines run side by side; with one, the engine that fits runs alone. A solution limit (or an iteration limit)
    in `options` makes the plan repeatable. `start_from` and `on_solution` are as in OR-Tools' `solve`."""
    started = monotonic()
    if objective is not None and objective != problem.objective:
        problem = replace(problem, objective=objective)
    options = options or SearchOptions(time_limit_s=time_limit_s)
    only_ortools = unsupported(problem)
    if start_from:
        only_ortools.append("fitting into a published plan")
    parallel = workers >= 2 and not multiprocessing.current_process().daemon

    if not only_ortools:
        if not parallel:
            plan = _pyvrp(problem, options, started)
            if plan is not None and not plan_violations(problem, plan):
                _report(on_solution)
                return replace(plan, engine_note="PyVRP alone on one core: it models every rule of this problem")
            plan = solve_ortools(problem, options=_remaining(options, started), on_solution=on_solution)
            return replace(plan, engine_note="PyVRP found no plan that keeps every rule; OR-Tools planned it")
        if len(problem.stops) <= RACE_ORTOOLS_UP_TO:
            rival = _Forked(_pyvrp, problem, options, started)
            ours = solve_ortools(problem, options=options, on_solution=on_solution)
            return pick(problem, [("pyvrp", rival.result()), ("ortools", ours)], "raced side by side")
        return _two_pyvrp_searches(problem, options, started, on_solution)

    why = "only OR-Tools models " + ", ".join(only_ortools)
    if not parallel or start_from:
        plan = solve_ortools(problem, options=options, start_from=start_from, on_solution=on_solution)
        return replace(plan, engine_note=why)
    # Both cores: OR-Tools from scratch here; in the other process, PyVRP's routes for the problem without the
    # rules it cannot model, then OR-Tools with those rules, starting from them.
    rival = _Forked(_seeded, problem, options, started)
    ours = solve_ortools(problem, options=options, on_solution=on_solution)
    return pick(problem, [("ortools", ours), ("pyvrp+ortools", rival.result())], why)


def _two_pyvrp_searches(
    problem: Problem, options: SearchOptions, started: float, on_solution: Callable[[], None] | None
) -> Plan:
    """Both cores on PyVRP. Fewest vans with a fleet of one kind: fleet minimisation (then distance) in the other
    process, a van's fixed cost here; otherwise two random streams (seeds `seed` and `seed + 1`)."""
    if problem.objective == Objective.VANS and fleet_minimisable(problem):
        rival = _Forked(_pyvrp_fewest_vans, problem, options, started)
        ours = _pyvrp(problem, options, started)
        _report(on_solution)
        entries = [("pyvrp", ours), ("pyvrp", rival.result())]
        return _pick_search(problem, entries, ["a van's fixed cost", "fleet minimisation"])
    # Two random streams for the first half of the time; then both go on from the better plan on two fresh
    # streams. Measured at 10 s against two streams for the whole time: 1.2-1.7 % shorter on r1_4_1 and rc1_10_1,
    # level on X-n502-k39.
    seed = options.seed
    half = replace(
        options,
        time_limit_s=EXCHANGE_AT * options.time_limit_s,
        iteration_limit=None if options.iterations is None else options.iterations // 2,
    )
    rival = _Forked(_pyvrp, problem, replace(half, seed=seed + 1), started)
    first = _best(problem, [_pyvrp(problem, half, started), rival.result()], [f"seed {seed}", f"seed {seed + 1}"])
    why = f"two PyVRP searches side by side (seeds {seed} and {seed + 1} for half the time"
    if first is None:
        plan = solve_ortools(problem, options=_remaining(options, started), on_solution=on_solution)
        return replace(plan, engine_note=f"{why}); neither found a plan that keeps every rule; OR-Tools planned it")
    job = partial(_improved, first[1])
    rival = _Forked(job, problem, replace(options, seed=seed + 3, iteration_limit=half.iteration_limit), started)
    ours = job(problem, replace(options, seed=seed + 2, iteration_limit=half.iteration_limit), started)
    _report(on_solution)
    labels = [first[0], f"seed {seed + 2}", f"seed {seed + 3}"]
    label, plan = _best(problem, [first[1], ours, rival.result()], labels)
    note = f"{why}, then {seed + 2} and {seed + 3} from the better plan); {label} won on {problem.objective.value}"
    return replace(plan, engine="pyvrp", engine_note=note)


def _best(problem: Problem, plans: list[Plan | None], labels: list[str]) -> tuple[str, Plan] | None:
    """The best plan the checker accepts, with its label; the earlier one on a tie; None if none holds."""
    valid = [(label, plan) for label, plan in zip(labels, plans, strict=True) if plan is not None]
    valid = [(label, plan) for label, plan in valid if not plan_violations(problem, plan)]
    return min(valid, key=lambda entry: plan_score(problem, entry[1])) if valid else None


def _pick_search(problem: Problem, entries: list[tuple[str, Plan | None]], labels: list[str]) -> Plan:
    """Of two PyVRP searches, the better plan the checker accepts, named by how it was searched."""
    why = f"two PyVRP searches side by side ({' and '.join(labels)})"
    best = _best(problem, [plan for _name, plan in entries], labels)
    if best is None:
        # Neither PyVRP plan holds: OR-Tools plans the day (it may leave stops out, with reasons).
        return replace(
            solve_ortools(problem, options=SearchOptions(time_limit_s=GRACE_S)),
            engine_note=f"{why}; neither found a plan that keeps every rule; OR-Tools planned it",
        )
    label, plan = best
    return replace(plan, engine="pyvrp", engine_note=f"{why}; {label} won on {problem.objective.value}")


def improve(
    problem: Problem,
    plan: Plan,
    *,
    time_limit_s: float,
    workers: int = 1,
    seed: int = 0,
    iterations: int | None = None,
) -> Plan:
    """The plan, or a better one PyVRP finds searching the whole problem from its routes; on two cores a PyVRP
    search of the whole problem from scratch runs beside it. The checker and the objective decide; the plan as it
    was wins a tie."""
    if unsupported(problem) or time_limit_s < 1:
        return plan
    started = monotonic()
    options = SearchOptions(time_limit_s=time_limit_s, seed=seed, iteration_limit=iterations)
    rival = None
    if workers >= 2 and not multiprocessing.current_process().daemon:
        rival = _Forked(_pyvrp, problem, options, started)
    entries = [(plan, "as planned"), (_improved(plan, problem, options, started), "from those routes")]
    if rival is not None:
        entries.append((rival.result(), "from scratch"))
    valid = [(p, how) for p, how in entries if p is not None and not plan_violations(problem, p)]
    if not valid:
        return plan
    best, how = min(valid, key=lambda entry: plan_score(problem, entry[0]))
    if best is plan:
        return plan
    before = plan.engine_note or "planned as given"
    return replace(best, engine="pyvrp", engine_note=f"{before}; then PyVRP searched the whole day {how}")


def _improved(plan: Plan, problem: Problem, options: SearchOptions, started: float) -> Plan | None:
    left = options.time_limit_s - (monotonic() - started)
    return improve_pyvrp(problem, plan, time_limit_s=left, seed=options.seed, iterations=options.iterations)


def relaxed(problem: Problem) -> Problem:
    """The problem without what PyVRP cannot model: breaks, locks, pairs, the longest-round objective."""
    return replace(
        problem,
        vehicles=tuple(replace(v, rest=None) for v in problem.vehicles),
        stops=tuple(replace(s, locked_vehicle=None, locked_position=None) for s in problem.stops),
        pairs=(),
        objective=Objective.DISTANCE if problem.objective == Objective.BALANCED else problem.objective,
    )


def _pyvrp(problem: Problem, options: SearchOptions, started: float) -> Plan | None:
    return solve_pyvrp(
        problem, time_limit_s=options.time_limit_s, seed=options.seed, iterations=options.iterations, started=started
    )


def _pyvrp_fewest_vans(problem: Problem, options: SearchOptions, started: float) -> Plan | None:
    return solve_pyvrp(
        problem,
        time_limit_s=options.time_limit_s,
        seed=options.seed,
        iterations=options.iterations,
        started=started,
        minimise_fleet=True,
    )


def _seeded(problem: Problem, options: SearchOptions, started: float) -> Plan | None:
    first = solve_pyvrp(
        relaxed(problem),
        time_limit_s=SEED_SHARE * options.time_limit_s,
        seed=options.seed,
        iterations=options.iterations,
        started=started,
    )
    if first is None:
        return None
    routes = {r.vehicle_id: [v.stop_id for v in r.visits] for r in first.routes}
    return solve_ortools(problem, options=_remaining(options, started), start_from=routes)


def _remaining(options: SearchOptions, started: float) -> SearchOptions:
    return replace(options, time_limit_s=max(1.0, options.time_limit_s - (monotonic() - started)))


def pick(problem: Problem, entries: list[tuple[str, Plan | None]], why: str) -> Plan:
    """The best plan the checker accepts; ties go to the earlier entry, so the choice is repeatable."""
    valid = [(name, plan) for name, plan in entries if plan is not None and not plan_violations(problem, plan)]
    if not valid:
        name, plan = next((name, plan) for name, plan in entries if plan is not None)
        return replace(plan, engine=name, engine_note=f"{why}; no plan passed the checker")
    name, plan = min(valid, key=lambda entry: plan_score(problem, entry[1]))
    losers = [other for other, _plan in entries if other != name]
    note = f"{why}; {name} won on {problem.objective.value} over {', '.join(losers)}"
    return replace(plan, engine=name, engine_note=note)


def _report(on_solution: Callable[[], None] | None) -> None:
    if on_solution is not None:
        on_solution()


class _Forked:
    """Run one engine in a forked process while this one runs the other; the fork shares the problem unpickled."""

    def __init__(self, job: Callable[[Problem, SearchOptions, float], Plan | None], problem, options, started):
        self.limit = options.time_limit_s
        self.started = started
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(sender, job, problem, options, started), daemon=True)
        self.process.start()
        sender.close()

    def result(self) -> Plan | None:
        wait = max(0.0, self.limit + GRACE_S - (monotonic() - self.started))
        try:
            plan = self.receiver.recv() if self.receiver.poll(wait) else None
        except EOFError:  # the process died before it could answer
            plan = None
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.receiver.close()
        return plan


def _child(sender, job, problem: Problem, options: SearchOptions, started: float) -> None:
    try:
        sender.send(job(problem, options, started))
    finally:
        sender.close()
