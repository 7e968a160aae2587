import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.permissions import any_permission_needed, permission_needed
from inventory.models import Warehouse
from logistics.day_close import day_close
from logistics.forms import DeliveredForm, FailedForm
from logistics.manifests import depot_summary_pdf, loading_list_pdf, route_sheet_pdf
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts, orders_due
from logistics.services import round_start, stop_mark_delivered, stop_mark_failed
from routing.models import PlanningRun, Round, Stop
from routing.selectors import driver_next_round, round_for_manifest


def _date_param(request, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return default


@permission_needed("logistics.view_deliveryorder")
def orders(request):
    date = _date_param(request, timezone.localdate() + dt.timedelta(days=1))
    return render(
        request,
        "logistics/orders.html",
        {"date": date, "orders": orders_due(date), "counts": order_status_counts(date)},
    )


@permission_needed("routing.record_delivery")
def driver_round(request):
    """The driver's phone page: only what the hand-over needs, in delivery order."""
    round_ = driver_next_round(request.user, timezone.localdate())
    if round_ is not None:
        round_ = round_for_manifest(round_.pk)
    # Started once no order of it is still waiting at the depot.
    waiting = round_ is not None and any(s.order.status == DeliveryOrder.Status.PLANNED for s in round_.stops.all())
    return render(
        request,
        "logistics/driver_round.html",
        {"round": round_, "may_start": waiting, "delivered_form": DeliveredForm(), "failed_form": FailedForm()},
    )


def _own_stop(request, pk: int) -> Stop:
    stop = get_object_or_404(Stop.objects.select_related("round"), pk=pk)
    if stop.round.driver_id != request.user.pk:
        raise PermissionDenied
    return stop


@require_POST
@permission_needed("routing.record_delivery")
def stop_delivered(request, pk: int):
    stop = _own_stop(request, pk)
    form = DeliveredForm(request.POST)
    if form.is_valid():
        try:
            stop_mark_delivered(actor=request.user, stop=stop, received_by=form.cleaned_data["received_by"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stop %(number)s delivered.") % {"number": stop.sequence})
    return redirect("driver_round")


@require_POST
@permission_needed("routing.record_delivery")
def stop_failed(request, pk: int):
    stop = _own_stop(request, pk)
    form = FailedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the delivery failed; nothing was saved."))
        return redirect("driver_round")
    try:
        stop_mark_failed(actor=request.user, stop=stop, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.warning(request, _("Stop %(number)s recorded as not delivered.") % {"number": stop.sequence})
    return redirect("driver_round")


@permission_needed("routing.view_planningrun")
def day_close_page(request):
    """What left, what was delivered, what came back, and any disagreement between ledger, orders and messages."""
    date = _date_param(request, timezone.localdate())
    return render(request, "logistics/day_close.html", {"date": date, "close": day_close(date)})


@require_POST
@permission_needed("routing.record_delivery")
def round_started(request, pk: int):
    """The driver leaves the depot: the round's orders are out for delivery."""
    round_ = get_object_or_404(Round, pk=pk, driver=request.user)
    count = round_start(actor=request.user, round_=round_)
    messages.success(request, _("Round started: %(count)s orders out for delivery.") % {"count": count})
    return redirect("driver_round")


@permission_needed("routing.view_planningrun")
def run_summary_pdf(request, pk: int, depot: str):
    """The depot summary of a planning run: every round leaving that depot and the orders left out."""
    run = get_object_or_404(PlanningRun, pk=pk)
    warehouse = get_object_or_404(Warehouse, code=depot)
    pdf = depot_summary_pdf(run=run, depot=warehouse, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{run.date}-{warehouse.code}.pdf"'
    return response


@any_permission_needed("routing.view_planningrun", "routing.record_delivery")
def round_pdf(request, pk: int, kind: str):
    round_ = get_object_or_404(Round, pk=pk)
    if not request.user.has_perm("routing.view_planningrun") and round_.driver_id != request.user.pk:
        raise PermissionDenied
    round_ = round_for_manifest(round_.pk)
    render_pdf = route_sheet_pdf if kind == "route" else loading_list_pdf
    response = HttpResponse(render_pdf(round_, language=request.LANGUAGE_CODE), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{round_.date}-{round_.vehicle.plate}.pdf"'
    return response
