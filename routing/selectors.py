import datetime as dt
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from delivery.models import Stop
from routing.models import PlanningRun


def started_stops(date: dt.date):
    """Stops the day can no longer take back: recorded at the door, or on a van that has left the depot."""
    from logistics.models import DeliveryOrder

    return Stop.objects.filter(round__date=date).filter(
        ~Q(outcome=Stop.Outcome.PENDING) | Q(order__status=DeliveryOrder.Status.OUT_FOR_DELIVERY)
    )


def orders_on_other_days(date: dt.date):
    """Orders waiting on a round of another day (a draft there leaves them reserved): not free for `date`."""
    return Stop.objects.filter(outcome=Stop.Outcome.PENDING).exclude(round__date=date).values("order")


def orders_waiting(run: PlanningRun) -> int:
    """Orders due by the run's day, stock reserved, on no round and not already explained as left out by the run:
    the ones "fit waiting orders into the plan" would try. Pick-ups at the depot never ride a van."""
    from logistics.models import DeliveryOrder

    waiting = DeliveryOrder.objects.filter(due_date__lte=run.date, status=DeliveryOrder.Status.RESERVED).exclude(
        mode=DeliveryOrder.Mode.PICKUP
    )
    waiting = waiting.exclude(stops__outcome=Stop.Outcome.PENDING)
    return waiting.exclude(pk__in=run.unplaced.values("order")).count()


def run_latest(date: dt.date) -> PlanningRun | None:
    return PlanningRun.objects.filter(date=date).order_by("-created_at").first()


def run_current(date: dt.date) -> PlanningRun | None:
    """The run whose rounds are the day's plan: the latest one that finished (a newer failed or cancelled run
    left it in place)."""
    return PlanningRun.objects.filter(date=date, status=PlanningRun.Status.DONE).order_by("-created_at").first()


def run_rounds(run: PlanningRun):
    stops = Stop.objects.select_related("order__household").order_by("sequence")
    return (
        run.rounds.select_related("vehicle", "driver", "depot")
        # Stops as people count them: the doors delivered to; a pharmacy pickup is not a delivery.
        .annotate(stop_count=Count("stops", filter=Q(stops__kind=Stop.Kind.DELIVERY)))
        .prefetch_related(Prefetch("stops", queryset=stops))
        .order_by("vehicle__name")
    )


def vans_staying_home(date: dt.date) -> list:
    """Available vans that stay at the depot on `date`: their driver is off and nobody free could cover."""
    from logistics.crew import crews_for
    from logistics.models import Vehicle

    vehicles = list(Vehicle.objects.in_service().select_related("depot", "driver").order_by("pk"))
    return crews_for(date, vehicles).stay_home


def round_cost(round_) -> Decimal:
    """What a round costs: its van's day plus its km at the van's rate (VAT excluded), to the cent."""
    cost = round_.vehicle.daily_cost + round_.vehicle.cost_per_km * Decimal(round_.distance_m) / 1000
    return cost.quantize(Decimal("0.01"))


def run_totals(run: PlanningRun) -> dict:
    """The plan's vans, km and cost, and the objective and engine that made it, for the board and plan_day."""
    rounds = list(run.rounds.select_related("vehicle"))
    return {
        "vans": len(rounds),
        "km": run.total_distance_km,
        "cost": sum((round_cost(r) for r in rounds), Decimal("0.00")),
        "objective": run.get_objective_display(),
        "engine": run.engine,
    }
