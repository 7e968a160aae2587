"""The manager's cost page: what the deliveries of a month or a quarter cost, per delivery and per household, by
day, zone and programme (reports.costs says how each figure is made)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from core.permissions import permission_needed
from inventory.money import currency
from reports.costs import delivery_costs
from reports.council import period_parse


@permission_needed("requests_intake.view_audit")
def costs_page(request):
    """?month=YYYY-MM or ?quarter=YYYY-Qn; this month when neither is given, and when the one given is wrong."""
    month, quarter = request.GET.get("month", ""), request.GET.get("quarter", "")
    error = ""
    if not month and not quarter:
        month = timezone.localdate().strftime("%Y-%m")
    try:
        period, name = period_parse(month=month, quarter=quarter)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        month, quarter = timezone.localdate().strftime("%Y-%m"), ""
        period, name = period_parse(month=month)
    return render(
        request,
        "reports/costs/page.html",
        {
            "costs": delivery_costs(period=period),
            "name": name,
            "month": month,
            "quarter": quarter,
            "error": error,
            "currency": currency(),
        },
        status=400 if error else 200,
    )
