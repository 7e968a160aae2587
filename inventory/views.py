import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from inventory import ledger
from inventory.assembly import assembly_needs, packs_assemble
from inventory.documents import assembly_list_pdf
from inventory.exports import stock_value_csv, stock_value_xlsx
from inventory.forms import AssembleForm, DayForm, LotChangeForm
from inventory.models import Pack, StockLot, StockMovement, Warehouse
from inventory.money import stock_value
from inventory.reservations import InsufficientStock
from inventory.selectors import default_warehouse, stock_overview


@permission_needed("inventory.view_stocklot")
def stock(request):
    warehouses = [(w, stock_overview(warehouse=w)) for w in Warehouse.objects.order_by("name")]
    return render(request, "inventory/stock.html", {"warehouses": warehouses})


STOCK_VALUE_EXPORTS = {
    "csv": ("text/csv; charset=utf-8", stock_value_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stock_value_xlsx),
}


@permission_needed("inventory.view_stocklot")
def stock_value_export(request, fmt: str):
    """The value of the stock per depot and item, FIFO by lot, as CSV or XLSX."""
    if fmt not in STOCK_VALUE_EXPORTS:
        raise Http404
    content_type, write = STOCK_VALUE_EXPORTS[fmt]
    response = HttpResponse(write(stock_value()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="stock-value-{timezone.localdate()}.{fmt}"'
    return response


@permission_needed("inventory.view_stocklot", "inventory.view_stockmovement")
def lot_detail(request, pk: int):
    """One lot: its balance, its whole ledger, and (for those who may) the hand corrections."""
    lot = get_object_or_404(StockLot.objects.select_related("item", "warehouse", "location", "balance"), pk=pk)
    may_change = request.user.has_perm("inventory.add_stockmovement")
    form = LotChangeForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                _lot_change(request.user, lot, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Lot %(code)s updated.") % {"code": lot.lot_code})
                return redirect("lot_detail", pk=lot.pk)
    movements = lot.movements.select_related("created_by", "order", "reverses").prefetch_related("reversed_by")
    return render(
        request,
        "inventory/lot_detail.html",
        {"lot": lot, "movements": movements, "form": form, "may_change": may_change},
    )


def _lot_change(actor, lot: StockLot, data: dict) -> None:
    if data["action"] == "adjust":
        ledger.stock_adjust(actor=actor, lot=lot, quantity=data["quantity"], reason=data["reason"], note=data["note"])
    elif data["action"] == "write_off":
        ledger.stock_write_off(
            actor=actor, lot=lot, quantity=data["quantity"], reason=data["reason"], note=data["note"]
        )
    else:
        ledger.stock_transfer(actor=actor, lot=lot, to=data["to"], quantity=data["quantity"], note=data["note"])


@require_POST
@permission_needed("inventory.add_stockmovement")
def movement_reverse(request, pk: int):
    movement = get_object_or_404(StockMovement, pk=pk)
    try:
        ledger.movement_reverse(actor=request.user, movement=movement, note=request.POST.get("note", "")[:200])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The movement was reversed; both stay in the ledger."))
    return redirect("lot_detail", pk=movement.lot_id)


def _day(request) -> tuple[DayForm, dt.date, Warehouse | None]:
    """The delivery day and warehouse from the query string; tomorrow at the first warehouse otherwise."""
    default = {
        "date": timezone.localdate() + dt.timedelta(days=1),
        "warehouse": default_warehouse(),
    }
    form = DayForm(request.GET if "date" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["date"], form.cleaned_data["warehouse"]
    return form, default["date"], default["warehouse"]


@permission_needed("inventory.view_stocklot")
def assembly(request):
    """What to assemble for a delivery day, with a button per pack and the printable list."""
    form, date, warehouse = _day(request)
    needs = assembly_needs(warehouse=warehouse, on=date) if warehouse else []
    return render(
        request,
        "inventory/assembly.html",
        {"form": form, "date": date, "warehouse": warehouse, "needs": needs, "assemble_form": AssembleForm()},
    )


@require_POST
@permission_needed("inventory.assemble_pack")
def assembly_run(request, pack_pk: int):
    pack = get_object_or_404(Pack, pk=pack_pk)
    _form, date, warehouse = _day(request)
    if warehouse is None:
        raise Http404
    back = f"{reverse('assembly')}?date={date.isoformat()}&warehouse={warehouse.pk}"
    quantity_form = AssembleForm(request.POST)
    if not quantity_form.is_valid():
        messages.error(request, " ".join(quantity_form.errors["quantity"]))
        return redirect(back)
    try:
        lot = packs_assemble(
            actor=request.user, pack=pack, warehouse=warehouse, quantity=quantity_form.cleaned_data["quantity"], on=date
        )
    except (ValidationError, InsufficientStock) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("%(count)s × %(pack)s assembled as lot %(lot)s.")
            % {"count": quantity_form.cleaned_data["quantity"], "pack": pack.label, "lot": lot.lot_code},
        )
    return redirect(back)


@permission_needed("inventory.view_stocklot")
def assembly_pdf(request):
    _form, date, warehouse = _day(request)
    if warehouse is None:
        raise Http404
    pdf = assembly_list_pdf(warehouse=warehouse, on=date, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assembly-{warehouse.code}-{date.isoformat()}.pdf"'
    return response
