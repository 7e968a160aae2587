import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.params import day_param
from core.permissions import permission_needed
from inventory.models import Warehouse
from logistics.depots import MAY_CHANGE_DEPOT, order_depot_change, order_stock_transfer
from logistics.forms import OrderDepotForm
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts, orders_due
from requests_intake.models import Zone

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
            # One query a page whatever the number of rows: the planner's depot choices and everyone's depot names.
            "warehouses": list(Warehouse.objects.order_by("name")),
            "may_pick_depot": request.user.has_perm("routing.plan_rounds"),
            "may_change_depot": MAY_CHANGE_DEPOT,
            # The day's orders served from another depot (logistics.views_depot_day), for planners only.
            "zones": list(Zone.objects.order_by("name")) if request.user.has_perm("routing.plan_rounds") else [],
        },
    )


def _back(request, order: DeliveryOrder) -> str:
    """Where the planner came from (the board or the orders page); only this site's addresses are followed."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return f"{reverse('orders')}?date={order.due_date.isoformat()}"


def _depot_action(request, pk: int, act, said) -> HttpResponse:
    order = get_object_or_404(DeliveryOrder, pk=pk)
    form = OrderDepotForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_back(request, order))
    try:
        order = act(order, form.cleaned_data["warehouse"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, said(order, form.cleaned_data["warehouse"]))
    return redirect(_back(request, order))


@require_POST
@permission_needed("routing.plan_rounds")
def order_depot_view(request, pk: int):
    """Serve the order from another depot."""

    def said(order, warehouse):
        return _("Order %(order)s is now served from %(depot)s (%(status)s).") % {
            "order": order.pk,
            "depot": warehouse.name,
            "status": order.get_status_display(),
        }

    return _depot_action(
        request,
        pk,
        lambda order, warehouse: order_depot_change(actor=request.user, order=order, warehouse=warehouse),
        said,
    )


@require_POST
@permission_needed("routing.plan_rounds")
def order_transfer_view(request, pk: int):
    """Bring the stock the order's depot lacks over from another depot."""

    def said(order, warehouse):
        return _("Stock for order %(order)s brought from %(source)s to %(depot)s (%(status)s).") % {
            "order": order.pk,
            "source": warehouse.name,
            "depot": order.warehouse.name,
            "status": order.get_status_display(),
        }

    return _depot_action(
        request, pk, lambda order, source: order_stock_transfer(actor=request.user, order=order, source=source), said
    )
