import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.params import day_param
from core.permissions import permission_needed
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts, orders_due

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
