"""The board's button for an order that became ready after the rounds went out: one POST, one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from logistics.models import DeliveryOrder
from routing.forms import PlanDayForm
from routing.live import order_fit_live
from routing.views import _board_url


@require_POST
@permission_needed("routing.plan_rounds")
def order_fit_live_view(request, pk: int):
    order = get_object_or_404(DeliveryOrder, pk=pk)
    form = PlanDayForm({"date": request.POST.get("date", "")})
    depots = request.POST.getlist("depot")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_board_url(order.due_date, depots, anchor="off-the-rounds"))
    date = form.cleaned_data["date"]
    try:
        fit = order_fit_live(actor=request.user, order=order, date=date)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_board_url(date, depots, anchor="off-the-rounds"))
    facts = {"order": order.pk, "van": fit.round.vehicle.name, "number": fit.stop.sequence}
    if fit.new_round:
        messages.success(
            request,
            _("Order %(order)s goes out on %(van)s, which was staying at the depot; its driver sees it on the phone.")
            % facts,
        )
    else:
        messages.success(
            request,
            _("Order %(order)s is stop %(number)s of %(van)s; the driver's phone gets it at its next sync.") % facts,
        )
    return redirect(_board_url(date, depots, anchor=f"round-{fit.round.pk}", rounds=[fit.round.pk]))
