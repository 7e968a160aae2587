import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.params import day_param
from core.permissions import any_permission_needed, permission_needed
from delivery.models import Round
from inventory.models import Warehouse
from logistics.day_close import day_close
from logistics.manifests import depot_summary_pdf, loading_list_pdf, route_sheet_pdf
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts, orders_due
from routing.models import PlanningRun
from routing.selectors import driver_rounds, round_for_manifest

ORDERS_PER_PAGE = 100


@permission_needed("logistics.view_deliveryorder")
def orders(request):
    """The orders due on a day, a page of them at a time, optionally only those in one status."""
    date = day_param(request.GET.get("date"), timezone.localdate() + dt.timedelta(days=1))
    status = request.GET.get("status", "")
    status_error = ""
    if status and status not in DeliveryOrder.Status.values:
        status_error = _("There is no order status “%(value)s”: every status is shown.") % {"value": status}
        status = ""
    # get_page answers the first page for a page that is not a number and the last for one past the end.
    page = Paginator(orders_due(date, status=status or None), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "logistics/orders.html",
        {
            "date": date,
            "status": status,
            "status_error": status_error,
            "statuses": DeliveryOrder.Status.choices,
            "page": page,
            "orders": page.object_list,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "page_query": urlencode({"date": date.isoformat(), **({"status": status} if status else {})}),
            "counts": order_status_counts(date),
        },
    )


@permission_needed("routing.view_planningrun")
def day_close_page(request):
    """What left, what was delivered, what came back, and any disagreement between ledger, orders and messages."""
    date = day_param(request.GET.get("date"), timezone.localdate())
    return render(request, "logistics/day_close.html", {"date": date, "close": day_close(date)})


@permission_needed("routing.view_planningrun")
def run_summary_pdf(request, pk: int, depot: str):
    """The depot summary of a planning run: every round leaving that depot and the orders left out."""
    run = get_object_or_404(PlanningRun, pk=pk)
    warehouse = get_object_or_404(Warehouse, code=depot)
    pdf = depot_summary_pdf(run=run, depot=warehouse, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{run.date}-{warehouse.code}.pdf"'
    return response


@any_permission_needed("routing.view_planningrun", "delivery.record_delivery")
def round_pdf(request, pk: int, kind: str):
    round_ = get_object_or_404(Round, pk=pk)
    if not request.user.has_perm("routing.view_planningrun") and not driver_rounds(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    round_ = round_for_manifest(round_.pk)
    render_pdf = route_sheet_pdf if kind == "route" else loading_list_pdf
    response = HttpResponse(render_pdf(round_, language=request.LANGUAGE_CODE), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{round_.date}-{round_.vehicle.plate}.pdf"'
    return response
