"""Planning a day: reserve what is due, solve each depot, store rounds and left-out orders, write manifests."""

import datetime as dt
import logging
import multiprocessing
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.lifecycle import orders_move
from logistics.models import DeliveryOrder, Vehicle
from logistics.services import orders_reserve_due
from requests_intake.models import Notification
from requests_intake.notifications import notification_create
from routing import solver
from routing.adapter import DayProblem, at, day_problem, depot_skill
from routing.models import PlanningRun, Round, Stop, UnplacedOrder
from routing.reasons import DEPOT_SKILL, NO_LOCATION, STOCK_SHORT
from routing.solver.decompose import solve_large

logger = logging.getLogger(__name__)


def _started_stops(date: dt.date):
    """Stops the day can no longer take back: recorded at the door, or on a van that has left the depot."""
    return Stop.objects.filter(round__date=date).filter(
        ~Q(outcome=Stop.Outcome.PENDING) | Q(order__status=DeliveryOrder.Status.OUT_FOR_DELIVERY)
    )


@transaction.atomic
def planning_run_start(*, actor, date: dt.date, kind: str = PlanningRun.Kind.FULL) -> PlanningRun:
    """Check the day can be planned and queue the planning task; refuse with a reason otherwise.

    A FULL run plans the day afresh; an INSERT run keeps the current plan and fits in orders that came since,
    each planned stop staying on its van (the van may already be loaded)."""
    if date < timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the past: plan today or a later day.") % {"date": date.strftime("%d/%m/%Y")}
        )
    if not Vehicle.objects.filter(is_available=True).exists():
        raise ValidationError(_("No vans are available: mark at least one van available before planning."))
    if _started_stops(date).exists():
        raise ValidationError(
            _("Rounds for %(date)s have already left or recorded deliveries: that day can no longer be re-planned.")
            % {"date": date.strftime("%d/%m/%Y")}
        )
    if kind == PlanningRun.Kind.INSERT and not Round.objects.filter(date=date).exists():
        raise ValidationError(
            _("There is no plan for %(date)s to fit orders into: plan the day first.")
            % {"date": date.strftime("%d/%m/%Y")}
        )
    run = PlanningRun.objects.create(date=date, requested_by=actor, kind=kind)
    from routing.tasks import plan_day

    # robust: when tasks run in-process, a failed plan is recorded on the run instead of breaking the page.
    transaction.on_commit(lambda: plan_day.delay(run.pk), robust=True)
    return run


def planning_run_execute(*, run_id: int) -> PlanningRun:
    """Plan the run's day. Safe to call twice: a finished run is left as it is."""
    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().get(pk=run_id)
        if run.status == PlanningRun.Status.DONE:
            return run
        run.status = PlanningRun.Status.RUNNING
        run.save(update_fields=["status"])
    try:
        published = _published(run.date) if run.kind == PlanningRun.Kind.INSERT else {}
        orders_reserve_due(date=run.date)
        day, unlocated = _build_problem(run.date)
        if day is None:
            plan = solver.Plan(routes=())
        elif published:
            plan = _solve_around(day, published)
        else:
            plan = _solve(day.problem)
        told = {int(order_id) for stops in published.values() for order_id in stops}
        _store(run, day, plan, unlocated, already_told=told)
    except Exception as exc:
        logger.exception("planning run %s failed", run_id)
        run.status = PlanningRun.Status.FAILED
        run.error = str(exc)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    from logistics.manifests import manifests_write

    manifests_write(run=run)
    return run


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


def _build_problem(date: dt.date) -> tuple[DayProblem | None, list[DeliveryOrder]]:
    # Reserved orders due by then, and the orders on the day's current plan, which the new plan replaces.
    on_the_plan = Q(status=DeliveryOrder.Status.PLANNED, stops__round__date=date)
    orders = (
        DeliveryOrder.objects.filter(Q(due_date__lte=date, status=DeliveryOrder.Status.RESERVED) | on_the_plan)
        .distinct()
        .select_related("household", "warehouse")
        .prefetch_related("lines")
        .order_by("pk")
    )
    located = [o for o in orders if o.household.has_location]
    unlocated = [o for o in orders if not o.household.has_location]
    vehicles = list(Vehicle.objects.filter(is_available=True).select_related("depot", "driver").order_by("pk"))
    if not located:
        return None, unlocated
    return day_problem(vehicles=vehicles, orders=located), unlocated


def _solve(problem: solver.Problem) -> solver.Plan:
    """Solve, then have the independent checker confirm the plan before anyone sees it."""
    # A Celery prefork child is a daemon process and may not start processes of its own: solve the parts in turn.
    in_daemon = multiprocessing.current_process().daemon
    workers = 1 if in_daemon else settings.ROUTING_WORKERS
    plan = solve_large(
        problem,
        time_limit_s=settings.ROUTING_TIME_LIMIT_S,
        workers=workers,
        map_parts=map if workers <= 1 else None,
    )
    violations = solver.plan_violations(problem, plan)
    if violations:
        raise InvalidPlan(violations)
    return plan


def _published(date: dt.date) -> dict[str, list[str]]:
    """The current plan of the day: vehicle id -> order ids in delivery order."""
    published: dict[str, list[str]] = {}
    for stop in Stop.objects.filter(round__date=date).select_related("round").order_by("round", "sequence"):
        published.setdefault(str(stop.round.vehicle_id), []).append(str(stop.order_id))
    return published


def _solve_around(day: DayProblem, published: dict[str, list[str]]) -> solver.Plan:
    """Keep every planned order on its van and fit the new ones in, starting from the published routes."""
    vehicle_of = {order_id: vehicle_id for vehicle_id, orders in published.items() for order_id in orders}
    stops = tuple(
        replace(stop, locked_vehicle=vehicle_of[stop.id]) if stop.id in vehicle_of else stop
        for stop in day.problem.stops
    )
    problem = replace(day.problem, stops=stops)
    plan = solver.solve(problem, time_limit_s=settings.ROUTING_TIME_LIMIT_S, start_from=published)
    violations = solver.plan_violations(problem, plan)
    if violations:
        raise InvalidPlan(violations)
    return plan


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
    already_told: set[int],
) -> None:
    # Checked again here: a van may have left while the solver was working.
    if _started_stops(run.date).exists():
        raise ValidationError(_("A round of that day left the depot while planning; the plan was not stored."))
    _clear_previous_plan(run)
    total = 0
    planned: list[tuple[DeliveryOrder, dt.datetime]] = []
    left_out: list[UnplacedOrder] = []
    for route in plan.routes:
        vehicle = day.vehicles[route.vehicle_id]
        round_ = Round.objects.create(
            run=run,
            date=run.date,
            vehicle=vehicle,
            driver=vehicle.driver,
            depot=vehicle.depot,
            start_at=at(run.date, route.start),
            end_at=at(run.date, route.end),
            distance_m=route.distance,
        )
        stops = []
        for sequence, visit in enumerate(route.visits, start=1):
            order = day.orders[visit.stop_id]
            stops.append(Stop(round=round_, order=order, sequence=sequence, arrival_at=at(run.date, visit.arrival)))
            planned.append((order, stops[-1].arrival_at))
        Stop.objects.bulk_create(stops)
        total += route.distance
    for u in plan.unassigned:
        fix_kind, fix_value = (u.fix.kind.value, _fix_value(day, u.fix)) if u.fix else ("", None)
        left_out.append(
            UnplacedOrder(
                run=run, order=day.orders[u.stop_id], reason=u.reason.value, fix_kind=fix_kind, fix_value=fix_value
            )
        )
    left_out.extend(UnplacedOrder(run=run, order=o, reason=NO_LOCATION) for o in unlocated)
    short = DeliveryOrder.objects.filter(due_date__lte=run.date, status=DeliveryOrder.Status.SHORT)
    left_out.extend(UnplacedOrder(run=run, order=o, reason=STOCK_SHORT) for o in short)
    UnplacedOrder.objects.bulk_create(left_out)

    planned_ids = [o.pk for o, _arrival in planned]
    orders_move(
        DeliveryOrder.objects.filter(pk__in=planned_ids),
        current=DeliveryOrder.Status.RESERVED,
        to=DeliveryOrder.Status.PLANNED,
    )
    for order, arrival in planned:
        if order.pk in already_told:  # already has its day; the window changes by minutes at most
            continue
        local = timezone.localtime(arrival)
        notification_create(
            request=order.plan.request,
            event=Notification.Event.SCHEDULED,
            date=local.strftime("%d/%m/%Y"),
            time=local.strftime("%H:%M"),
        )
    run.status = PlanningRun.Status.DONE
    run.total_distance_m = total
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "total_distance_m", "finished_at"])
