"""The supplier coordinator's dashboard: tomorrow's shortfalls, alerts, the forecast and what to order."""

import math

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from inventory.alerts import alert_acknowledge
from inventory.forecast import Forecast, ItemForecast, forecast, po_create_suggested
from inventory.models import Item, StockAlert, Warehouse
from inventory.money import currency, stock_value, stock_value_by_warehouse
from inventory.tasks import alerts_refresh_task

# Okabe-Ito colours, told apart by most colour-blind readers; dashes help where colours still collide.
CHART_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1d2733", "#8c564b")
CHART_DASHES = ("", "7 4", "2 3", "9 3 2 3")
CHART_LINES = 8


@permission_needed("inventory.view_stockalert")
def supply_dashboard(request):
    projection = forecast(today=timezone.localdate())
    alerts = (
        StockAlert.objects.exclude(status=StockAlert.Status.RESOLVED)
        .select_related("item", "warehouse", "lot", "acknowledged_by")
        .order_by("-status", "on_date", "pk")  # "open" sorts after "acknowledged", so open ones come first
    )
    values = stock_value()
    rows = sorted(
        projection.rows,
        key=lambda r: (r.runs_out_on is None, r.runs_out_on or projection.today, -r.suggested_quantity, r.item.sku),
    )
    return render(
        request,
        "inventory/forecast/dashboard.html",
        {
            "forecast": projection,
            "horizon": len(projection.days),
            "tomorrow": projection.days[1],
            "short_tomorrow": _short_tomorrow(projection),
            "alerts": alerts,
            "last_refresh": StockAlert.objects.aggregate(at=Max("last_seen"))["at"],
            "rows": rows,
            "expiring": sorted(
                ((row, lot) for row in rows for lot in row.expiring_unused),
                key=lambda pair: (pair[1].expiry_date, pair[0].item.sku),
            ),
            "chart": _cover_chart(projection),
            "stock_value": values,
            "stock_value_by_warehouse": stock_value_by_warehouse(values),
            "currency": currency(),
        },
    )


@permission_needed("inventory.change_stockalert")
@require_POST
def supply_alerts_refresh(request):
    result = alerts_refresh_task.delay()
    if result.ready():
        counts = result.get()
        messages.success(
            request,
            _("Alerts refreshed: %(created)s new, %(updated)s still open, %(resolved)s resolved.") % counts,
        )
    else:
        messages.success(request, _("The alerts are being refreshed; reload this page in a minute."))
    return redirect("supply_dashboard")


@permission_needed("inventory.change_stockalert")
@require_POST
def supply_alert_acknowledge(request, pk: int):
    alert = get_object_or_404(StockAlert, pk=pk)
    try:
        alert_acknowledge(actor=request.user, alert=alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alert acknowledged: it stays on the list until the problem is gone."))
    return redirect("supply_dashboard")


class SuggestionForm(forms.Form):
    item = forms.ModelChoiceField(queryset=Item.objects.select_related("preferred_supplier"))
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.all())


@permission_needed("inventory.add_purchaseorder")
@require_POST
def supply_order_create(request):
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an item and a warehouse from the forecast; no purchase order was created."))
        return redirect("supply_dashboard")
    try:
        order = po_create_suggested(
            actor=request.user, item=form.cleaned_data["item"], warehouse=form.cleaned_data["warehouse"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("supply_dashboard")
    messages.success(
        request, _("Draft purchase order %(reference)s created; check it and send it.") % {"reference": order}
    )
    return redirect("purchase_order_detail", pk=order.pk)


def _short_tomorrow(projection: Forecast) -> list[dict]:
    """Items whose demand tomorrow exceeds what is left for it: stock after today's orders plus tomorrow's goods."""
    if len(projection.days) < 2:
        return []
    short = [
        {
            "row": row,
            "demand": row.demand[1],
            "available": row.projected[0] + row.incoming[1],
            "missing": -row.projected[1],
        }
        for row in projection.rows
        if row.projected[1] < 0
    ]
    return sorted(short, key=lambda entry: (-entry["missing"], entry["row"].item.sku))


def _nice_step(span: float, ticks: int = 5) -> int:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` intervals."""
    raw = max(span / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _cover_chart(projection: Forecast) -> dict | None:
    """Geometry of the stock-cover chart (projected on hand per day for the items that run out), drawn as SVG."""
    at_risk: list[ItemForecast] = sorted(
        (row for row in projection.rows if row.runs_out_on is not None),
        key=lambda row: (row.runs_out_on, row.item.sku),
    )[:CHART_LINES]
    if not at_risk:
        return None
    days = projection.days
    left, right, top, plot_height, width = 70, 20, 20, 260, 900
    plot_width = width - left - right
    low = min(0, *(min(row.projected) for row in at_risk))
    high = max(1, *(max(row.projected) for row in at_risk))
    step = _nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step

    def x(index: int) -> float:
        return left + index * plot_width / max(1, len(days) - 1)

    def y(units: float) -> float:
        return top + (high - units) * plot_height / (high - low)

    several_warehouses = len({row.warehouse.pk for row in at_risk}) > 1
    legend_top = top + plot_height + 56
    series = []
    for index, row in enumerate(at_risk):
        label = f"{row.item.sku} · {row.item.label}"
        if several_warehouses:
            label += f" ({row.warehouse.name})"
        out = days.index(row.runs_out_on)
        series.append(
            {
                "label": label,
                "colour": CHART_COLOURS[index % len(CHART_COLOURS)],
                "dash": CHART_DASHES[index // 2 % len(CHART_DASHES)],
                "points": " ".join(f"{x(i):.1f},{y(units):.1f}" for i, units in enumerate(row.projected)),
                "out_x": round(x(out), 1),
                "out_y": round(y(row.projected[out]), 1),
                "runs_out_on": row.runs_out_on,
                "legend_x": left + (index % 2) * plot_width / 2,
                "legend_y": legend_top + (index // 2) * 22,
            }
        )
    return {
        "width": width,
        "height": legend_top + math.ceil(len(series) / 2) * 22 + 4,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_height,
        "middle_y": top + plot_height / 2,
        "zero_y": round(y(0), 1),
        "y_ticks": [{"y": round(y(units), 1), "units": units} for units in range(low, high + 1, step)],
        "x_ticks": [{"x": round(x(i), 1), "day": days[i]} for i in range(0, len(days), 7)],
        "series": series,
    }
