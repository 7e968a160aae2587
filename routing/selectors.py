import datetime as dt

from django.db.models import Count, Prefetch

from routing.models import PlanningRun, Round, Stop


def orders_waiting(run: PlanningRun) -> int:
    """Orders due by the run's day, stock reserved, on no round and not already explained as left out by the run:
    the ones "fit waiting orders into the plan" would try."""
    from logistics.models import DeliveryOrder

    waiting = DeliveryOrder.objects.filter(due_date__lte=run.date, status=DeliveryOrder.Status.RESERVED)
    return waiting.exclude(pk__in=run.unplaced.values("order")).count()


def run_latest(date: dt.date) -> PlanningRun | None:
    return PlanningRun.objects.filter(date=date).order_by("-created_at").first()


def run_rounds(run: PlanningRun):
    stops = Stop.objects.select_related("order__household").order_by("sequence")
    return (
        run.rounds.select_related("vehicle", "driver", "depot")
        .annotate(stop_count=Count("stops"))
        .prefetch_related(Prefetch("stops", queryset=stops))
        .order_by("vehicle__name")
    )


def round_for_manifest(round_id: int) -> Round:
    stops = (
        Stop.objects.select_related("order__household", "order__plan")
        .prefetch_related("order__lines__pack")
        .order_by("sequence")
    )
    return (
        Round.objects.select_related("vehicle", "driver", "depot")
        .prefetch_related(Prefetch("stops", queryset=stops))
        .get(pk=round_id)
    )


def driver_next_round(user, today: dt.date) -> Round | None:
    """The driver's round for today, or else their next planned one."""
    return Round.objects.filter(driver=user, date__gte=today).order_by("date", "start_at").first()
