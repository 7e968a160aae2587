"""The depot counter: the orders households collect, and handing one over."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.params import day_param
from core.permissions import permission_needed
from delivery.pickup import order_collect, pickups_due
from inventory.models import Warehouse
from logistics.models import DeliveryOrder


class CollectForm(forms.Form):
    collected_by = forms.CharField(label=gettext_lazy("Collected by"), max_length=120)


def _form_errors(request, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _service_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@permission_needed("logistics.view_deliveryorder")
def pickups(request):
    """Orders households collect at the depot, due by the day; planners hand them over, managers read."""
    date = day_param(request.GET.get("date"), timezone.localdate())
    warehouses = list(Warehouse.objects.order_by("name"))
    code = request.GET.get("warehouse", "")
    warehouse = next((w for w in warehouses if w.code == code), None)
    if code and warehouse is None:
        messages.warning(request, _("There is no depot “%(code)s”; every depot is shown.") % {"code": code})
    return render(
        request,
        "delivery/pickups.html",
        {
            "date": date,
            "warehouses": warehouses,
            "warehouse": warehouse,
            "orders": pickups_due(date, warehouse),
            "collect_form": CollectForm(),
        },
    )


@require_POST
@permission_needed("logistics.change_deliveryorder")
def pickup_collect(request, pk: int):
    order = get_object_or_404(DeliveryOrder, pk=pk)
    form = CollectForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            order = order_collect(actor=request.user, order=order, collected_by=form.cleaned_data["collected_by"])
        except ValidationError as exc:
            _service_errors(request, exc)
        else:
            messages.success(
                request,
                _("Order %(order)s handed over to %(name)s.") % {"order": order.pk, "name": order.collected_by},
            )
    params = {k: request.POST[k] for k in ("date", "warehouse") if request.POST.get(k)}
    return redirect(f"{reverse('pickups')}?{urlencode(params)}" if params else reverse("pickups"))
