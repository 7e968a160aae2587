import datetime as dt

from django.db.models import Count

from logistics.models import DeliveryOrder


def orders_due(date: dt.date):
    return (
        DeliveryOrder.objects.filter(due_date=date)
        .select_related("household", "plan__request")
        .prefetch_related("lines__pack")
        .order_by("priority", "pk")
    )


def order_status_counts(date: dt.date) -> dict[str, int]:
    rows = DeliveryOrder.objects.filter(due_date=date).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
