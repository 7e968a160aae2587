"""The day's close and the printed sheets of a round and of a run's depot."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.params import day_param
from core.permissions import any_permission_needed, permission_needed
from delivery.day_close import day_close
from delivery.manifests import depot_summary_pdf, loading_list_pdf, route_sheet_pdf
from delivery.models import Round
from delivery.selectors import driver_rounds, round_for_manifest
from inventory.models import Warehouse


@permission_needed("routing.view_planningrun")
def day_close_page(request):
    """What left, what was delivered, what came back, and any disagreement between ledger, orders and messages."""
    date = day_param(request.GET.get("date"), timezone.localdate())
    return render(request, "delivery/day_close.html", {"date": date, "close": day_close(date)})


@permission_needed("routing.view_planningrun")
def run_summary_pdf(request, pk: int, depot: str):
    """The depot summary of a planning run: every round leaving that depot and the orders left out."""
    # The run is routing's, above this app: reached through the round's relation rather than imported.
    run = get_object_or_404(Round.run.field.related_model, pk=pk)
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
