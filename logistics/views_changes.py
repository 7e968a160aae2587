"""The order's change page: a planner (orders page) or a social worker (household record) reschedules or
cancels one order; the services in logistics.changes do the work and refuse with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.permissions import any_permission_needed
from logistics.changes import order_call_off, order_reschedule
from logistics.forms_changes import OrderCancelForm, OrderRescheduleForm
from logistics.forms_packs import OrderPacksForm
from logistics.models import DeliveryOrder
from requests_intake.zone_access import zone_ensure_open

# Planners change orders; social workers change their households' orders (they may change the plan itself).
MAY_CHANGE = ("logistics.change_deliveryorder", "requests_intake.change_aidplan")
OPEN = (DeliveryOrder.Status.DELIVERED, DeliveryOrder.Status.CANCELLED)


def _order(request, pk: int) -> DeliveryOrder:
    order = get_object_or_404(DeliveryOrder.objects.select_related("household", "warehouse"), pk=pk)
    # A social worker listed on zones changes only those zones' orders: the rule every page reads (403 otherwise).
    zone_ensure_open(request.user, order.household.zone_id)
    return order


def _page(request, order: DeliveryOrder, *, reschedule=None, cancel=None, status: int = 200):
    reschedule = reschedule or OrderRescheduleForm(
        initial={
            "due_date": order.due_date,
            "window_start": order.window_start,
            "window_end": order.window_end,
            "mode": order.mode,
        }
    )
    return render(
        request,
        "logistics/changes/order.html",
        {
            "order": order,
            "may_change": order.status not in OPEN,
            "reschedule": reschedule,
            "cancel": cancel or OrderCancelForm(),
            # Other packs (posted to logistics.views_order_packs), the form filled with the order's packs.
            "packs": OrderPacksForm(initial=OrderPacksForm.initial_for(order)),
            "history": order.history.select_related("history_user").order_by("-history_date")[:20],
        },
        status=status,
    )


@any_permission_needed(*MAY_CHANGE)
def order_change(request, pk: int):
    return _page(request, _order(request, pk))


@require_POST
@any_permission_needed(*MAY_CHANGE)
def order_reschedule_view(request, pk: int):
    order = _order(request, pk)
    form = OrderRescheduleForm(request.POST)
    if not form.is_valid():
        return _page(request, order, reschedule=form, status=400)
    try:
        order = order_reschedule(actor=request.user, order=order, **form.cleaned_data)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return _page(request, _order(request, pk), reschedule=form, status=409)
    messages.success(
        request,
        _("Order %(order)s now goes on %(date)s; the household is told.")
        % {"order": order.pk, "date": day_text(order.due_date)},
    )
    return redirect("order_change", pk=order.pk)


@require_POST
@any_permission_needed(*MAY_CHANGE)
def order_cancel_view(request, pk: int):
    order = _order(request, pk)
    form = OrderCancelForm(request.POST)
    if not form.is_valid():
        return _page(request, order, cancel=form, status=400)
    try:
        order = order_call_off(actor=request.user, order=order, **form.cleaned_data)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return _page(request, _order(request, pk), cancel=form, status=409)
    messages.success(request, _("Order %(order)s is cancelled; the household is told.") % {"order": order.pk})
    return redirect("order_change", pk=order.pk)
