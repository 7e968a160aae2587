import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from core.params import day_param
from core.permissions import permission_needed
from routing.week_selectors import week_days

WEEK_DAYS = 7


@permission_needed("routing.view_planningrun")
def planning_week(request):
    """A week at a glance: per day the orders due, and the vans, km and packs of its current plan."""
    start = day_param(request.GET.get("start"), timezone.localdate() + dt.timedelta(days=1))
    days = week_days(start, WEEK_DAYS)
    return render(
        request,
        "routing/week.html",
        {
            "start": start,
            "days": days,
            "previous": start - dt.timedelta(days=WEEK_DAYS),
            "next": start + dt.timedelta(days=WEEK_DAYS),
            "totals": {
                "orders": sum(d.orders for d in days),
                "vans": sum(d.vans for d in days),
                "km": round(sum(d.km for d in days), 1),
                "packs": sum(d.packs for d in days),
            },
        },
    )
