"""Planning a day: reserve what is due, solve every depot as one problem, store the rounds and the orders left
out; publish at once, or keep a draft the planner reviews on the board and publishes (routing.board)."""

import datetime as dt
import logging
import multiprocessing
import threading
import time
from collections import Counter

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Round, Stop
from logistics.crew import crews_for
from logistics.lifecycle import orders_move
from logistics.models import DeliveryOrder, Vehicle
from logistics.services import orders_reserve_due
from routing import solver
from routing.adapter import (
    DayProblem,
    Locks,
    at,
    day_problem,
    depot_skill,
    planner_locks,
    same_driver_locks,
    stop_id,
    stop_order,
    with_locks,
)
from routing.models import PlanningRun, UnplacedOrder
from routing.parts import parts_solve
from routing.reasons import DEPOT_SKILL, FIX_PHARMACY_HOURS, NO_LOCATION, PHARMACY_UNREACHABLE, STOCK_SHORT
from routing.selectors import orders_on_other_days, run_current, started_stops
from routing.solver import decompose
from routing.solver.decompose import splits

logger = logging.getLogger(__name__)

# The progress bar: stock reserved, problem built, then the search moves it from the first to the last value.
PROGRESS_RESERVED = 10
PROGRESS_PROBLEM = 25
PROGRESS_SOLVING = (30, 90)
PROGRESS_TICK_S = 1.0


def _day(date: dt.date) -> str:
    return day_text(date)


@transaction.atomic
def planning_run_start(
    *,
    actor,
    date: dt.date,
    kind: str = PlanningRun.Kind.FULL,
    publish: bool = True,
    objective: str = PlanningRun.Objective.VANS,
) -> PlanningRun:
    """Check the day can be planned and queue the planning task; refuse with a reason otherwise.

    A FULL run plans the day afresh; an INSERT run keeps the current plan and fits in orders that came since,
    each planned stop staying on its van (the van may already be loaded). With `publish` the plan is published
    as soon as it is stored; without it, it is a draft nobody is told about until the planner publishes it.
    `objective` is what the search minimises: fewest vans (the default), shortest distance or balanced rounds."""
    if objective not in PlanningRun.Objective.values:
        raise ValidationError(
            _("“%(objective)s” is not a planning objective: choose %(choices)s.")
            % {"objective": objective, "choices": ", ".join(PlanningRun.Objective.values)},
            code="unknown_objective",
        )
    if date < timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the past: plan today or a later day.") % {"date": _day(date)}, code="day_past"
        )
    if not Vehicle.objects.in_service().exists():
        raise ValidationError(
            _("No vans are available: mark at least one van available before planning."), code="no_vans"
        )
    if started_stops(date).exists():
        raise ValidationError(
            _("Rounds for %(date)s have already left or recorded deliveries: that day can no longer be re-planned.")
            % {"date": _day(date)},
            code="day_started",
        )
    if kind == PlanningRun.Kind.INSERT and not Round.objects.filter(date=date).exists():
        raise ValidationError(
            _("There is no plan for %(date)s to fit orders into: plan the day first.") % {"date": _day(date)},
            code="no_plan_to_fit",
        )
    current = run_current(date)
    if not publish and current is not None and current.published_at is not None:
        # A draft would take the published rounds away from the drivers without anyone deciding to.
        raise ValidationError(
            _("The plan for %(date)s is published: unpublish it before making a draft, or plan and publish at once.")
            % {"date": _day(date)},
            code="plan_published",
        )
    run = PlanningRun.objects.create(
        date=date, requested_by=actor, kind=kind, publish_when_done=publish, objective=objective
    )
    # robust: a broker that is down, or a plan that fails in-process, is recorded on the run (still queued, or
    # failed) instead of breaking the page; beat sends a queued run again once the broker is back.
    transaction.on_commit(lambda: planning_run_send(run.pk), robust=True)
    return run


def planning_run_send(run_id: int) -> None:
    """Queue the planning task and note its id on the run: a queued run without one was never sent."""
    from routing.tasks import plan_day

    result = plan_day.delay(run_id)
    PlanningRun.objects.filter(pk=run_id, status=PlanningRun.Status.QUEUED).update(task_id=result.id)


@transaction.atomic
def planning_run_cancel(*, actor, run: PlanningRun) -> PlanningRun:
    """Stop a run: a queued one is cancelled at once, a running one before it solves or stores its plan.

    Nothing of a cancelled run is stored; the day's previous plan stays as it was."""
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status == PlanningRun.Status.QUEUED:
        run.status = PlanningRun.Status.CANCELLED
        run.cancel_requested = True
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "cancel_requested", "finished_at"])
    elif run.status == PlanningRun.Status.RUNNING:
        run.cancel_requested = True
        run.save(update_fields=["cancel_requested"])
    else:
        raise ValidationError(
            _("This planning run has already finished (%(status)s): there is nothing to cancel.")
            % {"status": run.get_status_display()},
            code="run_finished",
        )
    logger.info("planning run %s: cancel asked by %s", run.pk, actor)
    return run


def run_progress(run: PlanningRun) -> dict:
    """What the board's progress bar polls, ready for JSON."""
    finished = run.is_finished
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "progress": run.progress,
        "finished": finished,
        "waiting": run.waiting_for_worker,
        "error": run.error,
    }


def stale_after() -> dt.timedelta:
    """Longer than any plan takes: the solver's time limit twice over (a same-driver second search), and a margin."""
    return dt.timedelta(seconds=2 * settings.ROUTING_TIME_LIMIT_S + 120)


def _abandoned(run: PlanningRun, task_id: str) -> bool:
    if task_id and task_id == run.task_id:
        return True
    return run.started_at is None or run.started_at < timezone.now() - stale_after()


def planning_runs_resume() -> list[int]:
    """Send again the runs nobody is planning: queued while the broker was down (never sent), lost with the
    broker's queue, or started by a worker that died. Beat calls it every minute; returns the run ids sent."""
    long_ago = timezone.now() - stale_after()
    S = PlanningRun.Status
    orphans = PlanningRun.objects.filter(
        Q(status=S.QUEUED, task_id="")
        | Q(status=S.QUEUED, created_at__lt=long_ago)
        | Q(status=S.RUNNING, started_at__lt=long_ago)
    )
    sent = []
    for run_id in orphans.order_by("pk").values_list("pk", flat=True):
        planning_run_send(run_id)
        sent.append(run_id)
    return sent


class PlanningCancelled(Exception):
    """The planner cancelled the run while it worked; nothing is stored."""


def planning_run_execute(*, run_id: int, task_id: str = "") -> PlanningRun:
    """Plan the run's day. Safe to call twice: a finished or cancelled run is left as it is, and a run another
    worker is still planning is left to it.

    A run found RUNNING was started by a worker that may have died: it is taken over when this is the same task
    delivered again (Celery hands a task back when its worker is lost) or when it has run far longer than any
    plan can. Nothing of a dead worker's plan was stored: storing is one transaction."""
    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().get(pk=run_id)
        if run.status in (PlanningRun.Status.DONE, PlanningRun.Status.CANCELLED):
            return run
        if run.status == PlanningRun.Status.RUNNING and not _abandoned(run, task_id):
            logger.info("planning run %s is being planned by task %s; left to it", run.pk, run.task_id)
            return run
        run.status = PlanningRun.Status.RUNNING
        run.started_at = timezone.now()
        run.task_id = task_id
        run.save(update_fields=["status", "started_at", "task_id"])
    try:
        current = _CurrentPlan(run.date)
        orders_reserve_due(date=run.date)
        _progress(run, PROGRESS_RESERVED)
        day, unlocated = _build_problem(run.date, solver.Objective(run.objective))
        locks = _locks(run, day, current) if day is not None else Locks()
        _progress(run, PROGRESS_PROBLEM)
        _stop_if_cancelled(run)
        plan = _solve_day(run, day, locks, start_from=current.routes if run.kind == PlanningRun.Kind.INSERT else {})
        _progress(run, PROGRESS_SOLVING[1])
        # Fitting in leaves the households already told of their day alone; their time moves by minutes at most.
        told = current.order_ids if current.published and run.kind == PlanningRun.Kind.INSERT else set()
        # The planner's locks (those held to a place) stay on the new stops, for the next re-optimisation.
        locked = {held for held, (_van, place) in locks.firm.items() if place is not None}
        _store(run, day, plan, unlocated, locked=locked, told=told)
    except PlanningCancelled:
        run.status = PlanningRun.Status.CANCELLED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        return run
    except Exception as exc:
        logger.exception("planning run %s failed", run_id)
        run.status = PlanningRun.Status.FAILED
        run.error = str(exc)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    if run.published_at is not None:
        from delivery.manifests import manifests_write

        manifests_write(run=run)
    return run


def _progress(run: PlanningRun, value: int) -> None:
    # A plain update outside any transaction of ours: the board, on another connection, sees it at once.
    run.progress = value
    PlanningRun.objects.filter(pk=run.pk).update(progress=value)


def _stop_if_cancelled(run: PlanningRun) -> None:
    if PlanningRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        raise PlanningCancelled


class SolvingProgress:
    """Moves the run's progress from PROGRESS_SOLVING's first value towards its last as the time limit runs out.

    Two things write it: a thread of its own, which runs while the day is searched in other processes, and the
    search's solution callback (`on_solution`), since a search in this process holds the interpreter and the
    thread waits. Neither writes inside an outer transaction: there nobody else could read it, and the thread's
    own connection would wait on that transaction's locks."""

    def __init__(self, run_id: int, time_limit_s: float, clock=time.monotonic):
        self.run_id = run_id
        self.time_limit_s = max(time_limit_s, 0.001)
        self.clock = clock
        self.started = clock()
        self._last_tick = self.started
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def value(self) -> int:
        first, last = PROGRESS_SOLVING
        share = min(1.0, (self.clock() - self.started) / self.time_limit_s)
        return first + int((last - 1 - first) * share)  # the last value is written once the search is over

    def tick(self) -> None:
        PlanningRun.objects.filter(pk=self.run_id).update(progress=self.value())
        self._last_tick = self.clock()

    def on_solution(self) -> None:
        """Called by the search at each better plan, many times a second at first: write at most once a tick."""
        if connection.in_atomic_block or self.clock() - self._last_tick < PROGRESS_TICK_S:
            return
        try:
            self.tick()
        except DatabaseError:
            logger.warning("planning run %s: progress could not be written", self.run_id, exc_info=True)

    def _loop(self) -> None:
        try:
            while not self._done.wait(PROGRESS_TICK_S):
                self.tick()
        except DatabaseError:  # a progress bar is not worth failing a plan for
            logger.warning("planning run %s: progress could not be written", self.run_id, exc_info=True)
        finally:
            connections.close_all()

    def __enter__(self) -> "SolvingProgress":
        if not connection.in_atomic_block:
            self._thread = threading.Thread(target=self._loop, name=f"progress-{self.run_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()


def _fix_value(day: DayProblem, fix: solver.Fix):
    """The fix as stored: JSON, with names in place of the solver's ids, since the planner reads names."""
    if fix.kind == solver.FixKind.MORE_VEHICLES:
        return day.vehicles[fix.value].name
    if fix.kind == solver.FixKind.VEHICLE_WITH_SKILLS:
        depots = {depot_skill(w.pk): f"{DEPOT_SKILL}{w.name}" for w in day.depots}
        return [depots.get(skill, skill) for skill in fix.value]
    return list(fix.value) if isinstance(fix.value, tuple) else fix.value


def _clear_previous_plan(run: PlanningRun) -> None:
    """A new plan for the day replaces the previous one; nothing of it was delivered (checked at start).

    Called inside the transaction that stores the new plan, so a plan that fails leaves the old one in place."""
    previous = Round.objects.filter(date=run.date).exclude(run=run)
    orders_move(
        DeliveryOrder.objects.filter(stops__round__in=previous),
        current=DeliveryOrder.Status.PLANNED,
        to=DeliveryOrder.Status.RESERVED,
    )
    previous.delete()


def _build_problem(
    date: dt.date, objective: solver.Objective = solver.Objective.VANS
) -> tuple[DayProblem | None, list[DeliveryOrder]]:
    # Reserved orders due by then and not on another day's rounds, and the orders on the day's current plan
    # (reserved on a draft, planned once published), which the new plan replaces. Pick-ups never ride a van.
    on_the_plan = Q(stops__round__date=date, status__in=[DeliveryOrder.Status.RESERVED, DeliveryOrder.Status.PLANNED])
    waiting = Q(due_date__lte=date, status=DeliveryOrder.Status.RESERVED) & ~Q(pk__in=orders_on_other_days(date))
    orders = (
        DeliveryOrder.objects.filter(waiting | on_the_plan)
        .exclude(mode=DeliveryOrder.Mode.PICKUP)
        .distinct()
        .select_related("household", "warehouse", "plan__pharmacy")
        .prefetch_related("lines")
        .order_by("pk")
    )
    located = [o for o in orders if o.household.has_location]
    unlocated = [o for o in orders if not o.household.has_location]
    vehicles = list(Vehicle.objects.in_service().select_related("depot", "driver").order_by("pk"))
    if not located:
        return None, unlocated
    crews = crews_for(date, vehicles).crews
    return day_problem(crews=crews, orders=located, date=date, objective=objective), unlocated


class _CurrentPlan:
    """The day's plan before this run: its routes (vehicle id -> solver stop ids in driving order, pickups
    included) and whether it was published, i.e. whether its households were told their day."""

    def __init__(self, date: dt.date):
        self.routes: dict[str, list[str]] = {}
        self.published = False
        rows = Stop.objects.filter(round__date=date).order_by("round", "sequence")
        columns = ("round__vehicle", "order", "kind", "round__run__published_at")
        for vehicle_id, order_id, kind, published_at in rows.values_list(*columns):
            self.routes.setdefault(str(vehicle_id), []).append(stop_id(order_id, kind))
            self.published = published_at is not None

    @property
    def order_ids(self) -> set[int]:
        return {stop_order(held)[0] for stops in self.routes.values() for held in stops}


def _locks(run: PlanningRun, day: DayProblem, current: _CurrentPlan) -> Locks:
    if run.kind == PlanningRun.Kind.INSERT:
        # Every planned order stays on its van; the planner's locks keep their place as well.
        firm: dict[str, tuple[str, int | None]] = {
            order_id: (vehicle_id, None) for vehicle_id, orders in current.routes.items() for order_id in orders
        }
        firm.update(planner_locks(day, run.date))
    else:
        firm = planner_locks(day, run.date)
    preferred = {stop_id: v for stop_id, v in same_driver_locks(day).items() if stop_id not in firm}
    return Locks(firm=firm, preferred=preferred)


def _solve_day(run: PlanningRun, day: DayProblem | None, locks: Locks, *, start_from: dict) -> solver.Plan:
    """Solve with every lock; if the same-driver wishes leave anyone out, solve again without them and keep
    whichever plan leaves fewer out, the most urgent counted first."""
    if day is None or not day.problem.stops:  # nothing located, or every order kept out by its pharmacy
        return solver.Plan(routes=())
    with SolvingProgress(run.pk, settings.ROUTING_TIME_LIMIT_S) as progress:
        wished = {stop_id: (vehicle_id, None) for stop_id, vehicle_id in locks.preferred.items()}
        plan = _solve(with_locks(day.problem, {**locks.firm, **wished}), start_from, progress.on_solution, run=run)
        if locks.preferred and plan.unassigned:
            _stop_if_cancelled(run)
            free = _solve(with_locks(day.problem, locks.firm), start_from, progress.on_solution, run=run)
            if _left_out(free) < _left_out(plan):
                plan = free
    return plan


def _left_out(plan: solver.Plan) -> tuple[int, ...]:
    counts = Counter(u.priority for u in plan.unassigned)
    return tuple(counts[p] for p in solver.Priority)


def _solve(
    problem: solver.Problem, start_from: dict[str, list[str]], on_solution=None, *, run: PlanningRun
) -> solver.Plan:
    """Solve, then have the independent checker confirm the plan before anyone sees it."""
    if start_from:
        # Fitting orders into a plan: the search starts from the current routes, so little moves.
        plan = solver.solve(problem, options=_search_options(), start_from=start_from, on_solution=on_solution)
    elif splits(problem):
        # A large day's parts go to whichever Celery workers are up, and this process solves parts too
        # (routing.parts). Without a broker they all run here, in turn, so each gets a share of the time as such.
        workers = 1 if current_app.conf.task_always_eager else settings.ROUTING_WORKERS

        def on_workers(_solve_part, jobs):
            return parts_solve(
                run_id=run.pk, jobs=jobs, stop_if_cancelled=lambda: _stop_if_cancelled(run), on_solution=on_solution
            )

        plan = solve_large(
            problem,
            time_limit_s=settings.ROUTING_TIME_LIMIT_S,
            workers=workers,
            map_parts=on_workers,
            on_solution=on_solution,
        )
    else:
        # A Celery prefork child is a daemon process and may not start processes of its own: one search.
        in_daemon = multiprocessing.current_process().daemon
        workers = 1 if in_daemon else settings.ROUTING_WORKERS
        plan = solve_large(
            problem,
            time_limit_s=settings.ROUTING_TIME_LIMIT_S,
            workers=workers,
            map_parts=map if workers <= 1 else None,
            on_solution=on_solution,
        )
    violations = solver.plan_violations(problem, plan)
    if violations:
        raise InvalidPlan(violations)
    return plan


def _search_options() -> solver.SearchOptions:
    return solver.SearchOptions(
        time_limit_s=settings.ROUTING_TIME_LIMIT_S, solution_limit=settings.ROUTING_SOLUTION_LIMIT
    )


def solve_large(
    problem: solver.Problem, *, time_limit_s: float, workers: int, map_parts=None, on_solution=None
) -> solver.Plan:
    """The solver's `decompose.solve_large`, bounded by ROUTING_SOLUTION_LIMIT when that is set: a day searched
    whole then gets one search in this process that stops after that many solutions (the time limit still caps
    it), so the same day always gives the same plan. A day split into parts keeps the clock."""
    if settings.ROUTING_SOLUTION_LIMIT is not None and not decompose.splits(problem):
        options = solver.SearchOptions(time_limit_s=time_limit_s, solution_limit=settings.ROUTING_SOLUTION_LIMIT)
        return solver.solve(problem, options=options, on_solution=on_solution)
    return decompose.solve_large(
        problem, time_limit_s=time_limit_s, workers=workers, map_parts=map_parts, on_solution=on_solution
    )


def _causes(unassigned: tuple[solver.Unassigned, ...]) -> list[solver.Unassigned]:
    """One entry per order left out: a medication order's pickup and delivery go out together, and the one that
    says why is kept (not the partner that only followed it); when both say the same, the delivery's words."""
    by_order: dict[int, solver.Unassigned] = {}
    for u in unassigned:
        order_id, kind = stop_order(u.stop_id)
        kept = by_order.get(order_id)
        follows = u.reason == solver.UnassignedReason.PARTNER_UNASSIGNED
        if kept is None or (kept.reason == solver.UnassignedReason.PARTNER_UNASSIGNED and not follows):
            by_order[order_id] = u
        elif not follows and kind == Stop.Kind.DELIVERY and kept.reason == u.reason:
            by_order[order_id] = u
    return list(by_order.values())


def _pickup_reason(u: solver.Unassigned, fix_kind: str, fix_value) -> tuple[str, str, object]:
    """A pickup's own reason in the pharmacy's words: its window is the pharmacy's hours, which nobody widens."""
    if u.reason == solver.UnassignedReason.WINDOW_UNREACHABLE:
        if fix_kind == solver.FixKind.WIDEN_WINDOW:
            return PHARMACY_UNREACHABLE, FIX_PHARMACY_HOURS, fix_value
        return PHARMACY_UNREACHABLE, fix_kind, fix_value
    return u.reason.value, fix_kind, fix_value


class InvalidPlan(Exception):
    """The solver produced a plan the checker rejects; it is never stored."""

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__(f"the plan broke {len(violations)} rule(s): " + "; ".join(violations))


@transaction.atomic
def _store(
    run: PlanningRun,
    day: DayProblem | None,
    plan: solver.Plan,
    unlocated: list[DeliveryOrder],
    *,
    locked: set[int],
    told: set[int],
) -> None:
    # The run's row is locked first, so a cancel either comes before (nothing stored) or finds the run done.
    if PlanningRun.objects.select_for_update().get(pk=run.pk).cancel_requested:
        raise PlanningCancelled
    # Checked again here: a van may have left while the solver was working.
    if started_stops(run.date).exists():
        raise ValidationError(
            _("A round of that day left the depot while planning; the plan was not stored."),
            code="day_started_while_planning",
        )
    _clear_previous_plan(run)
    total = 0
    left_out: list[UnplacedOrder] = []
    for route in plan.routes:
        vehicle = day.vehicles[route.vehicle_id]
        round_ = Round.objects.create(
            run=run,
            date=run.date,
            vehicle=vehicle,
            driver=day.crews[route.vehicle_id].driver,
            depot=vehicle.depot,
            start_at=at(run.date, route.start),
            end_at=at(run.date, route.end),
            distance_m=route.distance,
            break_at=at(run.date, route.break_start) if route.break_start is not None else None,
        )
        Stop.objects.bulk_create(
            Stop(
                round=round_,
                order=day.order_of(visit.stop_id),
                kind=stop_order(visit.stop_id)[1],
                sequence=sequence,
                arrival_at=at(run.date, visit.arrival),
                locked=visit.stop_id in locked,
            )
            for sequence, visit in enumerate(route.visits, start=1)
        )
        total += route.distance
    for u in _causes(plan.unassigned):
        fix_kind, fix_value = (u.fix.kind.value, _fix_value(day, u.fix)) if u.fix else ("", None)
        reason = u.reason.value
        if stop_order(u.stop_id)[1] == Stop.Kind.PICKUP:
            reason, fix_kind, fix_value = _pickup_reason(u, fix_kind, fix_value)
        left_out.append(
            UnplacedOrder(run=run, order=day.order_of(u.stop_id), reason=reason, fix_kind=fix_kind, fix_value=fix_value)
        )
    if day is not None:
        left_out.extend(
            UnplacedOrder(run=run, order=o, reason=r.reason, fix_kind=r.fix_kind, fix_value=r.fix_value)
            for o, r in day.refused
        )
    left_out.extend(UnplacedOrder(run=run, order=o, reason=NO_LOCATION) for o in unlocated)
    short = DeliveryOrder.objects.filter(due_date__lte=run.date, status=DeliveryOrder.Status.SHORT).exclude(
        mode=DeliveryOrder.Mode.PICKUP
    )
    left_out.extend(UnplacedOrder(run=run, order=o, reason=STOCK_SHORT) for o in short)
    UnplacedOrder.objects.bulk_create(left_out)

    run.status = PlanningRun.Status.DONE
    run.total_distance_m = total
    run.progress = 100
    run.finished_at = timezone.now()
    run.engine = plan.engine[: PlanningRun._meta.get_field("engine").max_length]
    run.engine_note = plan.engine_note[: PlanningRun._meta.get_field("engine_note").max_length]
    run.save(update_fields=["status", "total_distance_m", "progress", "finished_at", "engine", "engine_note"])
    if run.publish_when_done:
        from routing.board import plan_publish

        plan_publish(run, actor=run.requested_by, already_told=told)
