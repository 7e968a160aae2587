import datetime as dt

from django.db.models import Count, Prefetch

from routing.models import PlanningRun, Round, Stop


def orders_waiting(date: dt.date) -> int:
    """Orders due by `date` with stock reserved but on no round yet: what "fit in new orders" would consider."""
    from logistics.models import DeliveryOrder

    return DeliveryOrder.objects.filter(due_date__lte=date, status=DeliveryOrder.Status.RESERVED).count()


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
    stops = Stop.objects.select_related("order__household").prefetch_related("order__lines__pack").order_by("sequence")
    return (
        Round.objects.select_related("vehicle", "driver", "depot")
        .prefetch_related(Prefetch("stops", queryset=stops))
        .get(pk=round_id)
    )


def driver_next_round(user, today: dt.date) -> Round | None:
    """The driver's round for today, or else their next planned one."""
    return Round.objects.filter(driver=user, date__gte=today).order_by("date", "start_at").first()
