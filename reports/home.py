"""What the home page shows each role: counts and short lists, one query each.

It lives in reports, the top domain layer, because it reads every app: requests, orders, rounds, runs and stock."""

import datetime as dt

from django.db.models import Count

from delivery.concerns import concerns_unresolved
from delivery.selectors import driver_next_round
from inventory.models import StockAlert
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts
from reports.metrics import default_period
from reports.selectors import deliveries_made
from requests_intake.models import AidRequest, Household
from routing.selectors import run_latest


def home_figures(user, today: dt.date) -> dict:
    tomorrow = today + dt.timedelta(days=1)
    figures: dict = {"today": today, "tomorrow": tomorrow}
    if user.has_perm("requests_intake.add_aidrequest"):
        figures["registered_today"] = AidRequest.objects.filter(registered_by=user, received_at__date=today).count()
    if user.has_perm("requests_intake.view_aidrequest"):
        figures["awaiting_assessment"] = AidRequest.objects.filter(status=AidRequest.Status.IN_ASSESSMENT).count()
    if user.has_perm("logistics.view_deliveryorder"):
        figures["orders_tomorrow"] = order_status_counts(tomorrow)
        figures["latest_run"] = run_latest(tomorrow)
    if user.has_perm("delivery.change_welfareconcern"):
        # What drivers saw in her zones, until someone resolves it: taking one up leaves it here.
        figures["concerns"] = list(concerns_unresolved(user)[:8])
    if user.has_perm("delivery.record_delivery"):
        figures["my_round"] = driver_next_round(user, today)
    if user.has_perm("inventory.view_stockalert"):
        # The same problems the supplier coordinator's dashboard lists, so both pages tell one story.
        figures["stock_alerts"] = list(
            StockAlert.objects.filter(kind__in=[StockAlert.Kind.SHORTFALL, StockAlert.Kind.LOW_STOCK])
            .exclude(status=StockAlert.Status.RESOLVED)
            .select_related("item")
            .order_by("on_date", "kind")[:8]
        )
    if user.has_perm("requests_intake.view_household") and user.has_perm("logistics.view_deliveryorder"):
        figures["manager"] = {
            "households": Household.objects.count(),
            "requests_by_status": _labelled(AidRequest.objects.values("status"), "status", AidRequest.Status),
            "requests_by_channel": _labelled(
                AidRequest.objects.values("channel"), "channel", AidRequest._meta.get_field("channel")
            ),
            # The figures page's own count over its default period, so the two pages never disagree.
            **dict(zip(("delivered", "failed"), deliveries_made(default_period(today)), strict=True)),
            "short": DeliveryOrder.objects.filter(status=DeliveryOrder.Status.SHORT).count(),
        }
    return figures


def _labelled(queryset, field: str, choices) -> list[tuple[str, int]]:
    labels = dict(choices.choices)
    rows = queryset.annotate(n=Count("pk")).order_by("-n")
    return [(labels.get(row[field], row[field]), row["n"]) for row in rows]
