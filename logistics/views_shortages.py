"""Sending what is in stock of an order waiting for stock: one POST, one service, back where the planner was."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from logistics.models import DeliveryOrder
from logistics.shortages import order_send_what_is_there
from logistics.views import _back


@require_POST
@permission_needed("routing.plan_rounds")
def order_split_view(request, pk: int):
    order = get_object_or_404(DeliveryOrder, pk=pk)
    try:
        owed = order_send_what_is_there(actor=request.user, order=order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if owed is None:
            messages.success(
                request, _("All of order %(order)s is in stock now: it is reserved.") % {"order": order.pk}
            )
        else:
            messages.success(
                request,
                _("Order %(order)s goes with the packs in stock; the rest is owed on order %(owed)s (%(status)s).")
                % {"order": order.pk, "owed": owed.pk, "status": owed.get_status_display()},
            )
    return redirect(_back(request, order))
