from django.shortcuts import get_object_or_404, render

from config.permissions import permission_needed
from requests_intake.models import Household


@permission_needed("requests_intake.view_household")
def household_detail(request, pk: int):
    household = get_object_or_404(Household.objects.select_related("zone"), pk=pk)
    aid_requests = household.requests.select_related("decided_by").order_by("-received_at")
    orders = household.orders.prefetch_related("lines__pack").order_by("-due_date")
    return render(
        request,
        "requests_intake/household_detail.html",
        {"household": household, "aid_requests": aid_requests, "orders": orders},
    )
