import datetime as dt

from django.db.models import Count, Prefetch

from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import Household


def orders_due(date: dt.date, *, status: str | None = None):
    """The orders due on `date` (only those in `status` when given), most urgent first, with their household and
    packs.

    The household comes in a second query rather than a join: with a join PostgreSQL hashes the whole household
    table before it sorts and cuts a page, while a page's hundred households are a hundred primary-key reads."""
    orders = DeliveryOrder.objects.filter(due_date=date)
    if status:
        orders = orders.filter(status=status)
    households = Household.objects.only("given_name", "family_name", "address")
    lines = DeliveryOrderLine.objects.select_related("pack").only("order", "quantity", "pack__name").order_by("pk")
    return (
        orders.only("pk", "household", "status", "priority", "due_date", "warehouse")
        .prefetch_related(Prefetch("household", queryset=households), Prefetch("lines", queryset=lines))
        .order_by("priority", "pk")
    )


class StatusCounts(dict):
    """Orders per status, every status present (zeros too) so the counters add up to the day's orders."""

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in lifecycle order."""
        return [(value, label, self[value]) for value, label in DeliveryOrder.Status.choices]

    @property
    def total(self) -> int:
        return sum(self.values())


def order_status_counts(date: dt.date, depot_ids: set[int] | frozenset[int] = frozenset()) -> StatusCounts:
    """How many of the day's orders are in each status, of the depots named (every depot when none is)."""
    due = DeliveryOrder.objects.filter(due_date=date)
    if depot_ids:
        due = due.filter(warehouse__in=depot_ids)
    rows = due.values("status").annotate(n=Count("pk")).order_by()
    counts = StatusCounts.fromkeys(DeliveryOrder.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
