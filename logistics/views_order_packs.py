"""The change page's other two changes: other packs for one order, and ending the order's whole plan (its open
orders cancelled). Same permissions and zone rule as the rest of the page (logistics.views_changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.permissions import any_permission_needed
from logistics.changes import order_change_packs, plan_end
from logistics.forms_packs import OrderPacksForm
from logistics.views_changes import MAY_CHANGE, _order


@require_POST
@any_permission_needed(*MAY_CHANGE)
def order_packs_view(request, pk: int):
    order = _order(request, pk)
    form = OrderPacksForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Check the packs and their quantities."))
        return redirect("order_change", pk=order.pk)
    try:
        order_change_packs(actor=request.user, order=order, packs=form.cleaned_data["packs"])
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("order_change", pk=order.pk)
    messages.success(request, _("Order %(order)s has its new packs; the stock is held for them.") % {"order": order.pk})
    return redirect("order_change", pk=order.pk)


@require_POST
@any_permission_needed(*MAY_CHANGE)
def order_plan_end_view(request, pk: int):
    order = _order(request, pk)
    try:
        cancelled = plan_end(actor=request.user, plan=order.plan)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("order_change", pk=order.pk)
    messages.success(
        request,
        ngettext(
            "The plan is ended: %(count)s open order is cancelled and the household is told.",
            "The plan is ended: %(count)s open orders are cancelled and the household is told.",
            len(cancelled),
        )
        % {"count": len(cancelled)},
    )
    return redirect("order_change", pk=order.pk)
