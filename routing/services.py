"""Planning a day: reserve what is due, solve each depot, store rounds and left-out orders, write manifests."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Warehouse
from logistics.models import DeliveryOrder, Vehicle
from logistics.services import orders_reserve_due
from requests_intake.models import Notification
from requests_intake.notifications import notification_create
from routing import solver
from routing.adapter import DepotProblem, at, depot_problem
from routing.models import PlanningRun, Round, Stop, UnplacedOrder
from routing.reasons import NO_LOCATION, STOCK_SHORT

logger = logging.getLogger(__name__)


def _started_stops(date: dt.date):
    return Stop.objects.filter(round__date=date).exclude(outcome=Stop.Outcome.PENDING)


@transaction.atomic
def planning_run_start(*, actor, date: dt.date) -> PlanningRun:
    """Check the day can be planned and queue the planning task; refuse with a reason otherwise."""
    if date < timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the past: plan today or a later day.") % {"date": date.strftime("%d/%m/%Y")}
        )
    if not Vehicle.objects.filter(is_available=True).exists():
        raise ValidationError(_("No vans are available: mark at least one van available before planning."))
    if _started_stops(date).exists():
        raise ValidationError(
            _("Deliveries for %(date)s have already been recorded: that day can no longer be re-planned.")
            % {"date": date.strftime("%d/%m/%Y")}
        )
    run = PlanningRun.objects.create(date=date, requested_by=actor)
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
        _clear_previous_plan(run)
        orders_reserve_due(date=run.date)
        problems, unlocated = _build_problems(run.date)
        plans = [(dp, solver.solve(dp.problem, time_limit_s=settings.ROUTING_TIME_LIMIT_S)) for dp in problems]
        _store(run, plans, unlocated)
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


@transaction.atomic
def _clear_previous_plan(run: PlanningRun) -> None:
    """A new plan for the day replaces the previous one; nothing of it was delivered (checked at start)."""
    previous = Round.objects.filter(date=run.date).exclude(run=run)
    DeliveryOrder.objects.filter(stops__round__in=previous, status=DeliveryOrder.Status.PLANNED).update(
        status=DeliveryOrder.Status.RESERVED
    )
    previous.delete()


def _build_problems(date: dt.date) -> tuple[list[DepotProblem], list[DeliveryOrder]]:
    orders = (
        DeliveryOrder.objects.filter(due_date__lte=date, status=DeliveryOrder.Status.RESERVED)
        .select_related("household")
        .prefetch_related("lines")
        .order_by("pk")
    )
    located = [o for o in orders if o.household.has_location]
    unlocated = [o for o in orders if not o.household.has_location]
    problems = []
    for depot in Warehouse.objects.order_by("pk"):
        depot_orders = [o for o in located if o.warehouse_id == depot.pk]
        vehicles = list(Vehicle.objects.filter(depot=depot, is_available=True).order_by("pk"))
        if depot_orders:
            problems.append(depot_problem(depot=depot, vehicles=vehicles, orders=depot_orders))
    return problems, unlocated


@transaction.atomic
def _store(run: PlanningRun, plans: list[tuple[DepotProblem, solver.Plan]], unlocated: list[DeliveryOrder]) -> None:
    total = 0
    planned: list[tuple[DeliveryOrder, dt.datetime]] = []
    left_out: list[UnplacedOrder] = []
    for dp, plan in plans:
        for route in plan.routes:
            vehicle = dp.vehicles[route.vehicle_id]
            round_ = Round.objects.create(
                run=run,
                date=run.date,
                vehicle=vehicle,
                driver=vehicle.driver,
                depot=dp.depot,
                start_at=at(run.date, route.start),
                end_at=at(run.date, route.end),
                distance_m=route.distance,
            )
            stops = []
            for sequence, visit in enumerate(route.visits, start=1):
                order = dp.orders[visit.stop_id]
                stops.append(Stop(round=round_, order=order, sequence=sequence, arrival_at=at(run.date, visit.arrival)))
                planned.append((order, stops[-1].arrival_at))
            Stop.objects.bulk_create(stops)
            total += route.distance
        left_out.extend(
            UnplacedOrder(run=run, order=dp.orders[u.stop_id], reason=u.reason.value) for u in plan.unassigned
        )
    left_out.extend(UnplacedOrder(run=run, order=o, reason=NO_LOCATION) for o in unlocated)
    short = DeliveryOrder.objects.filter(due_date__lte=run.date, status=DeliveryOrder.Status.SHORT)
    left_out.extend(UnplacedOrder(run=run, order=o, reason=STOCK_SHORT) for o in short)
    UnplacedOrder.objects.bulk_create(left_out)

    DeliveryOrder.objects.filter(pk__in=[o.pk for o, _arrival in planned]).update(status=DeliveryOrder.Status.PLANNED)
    for order, arrival in planned:
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
