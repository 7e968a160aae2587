"""Pages for suppliers, purchase orders, receiving goods and donations in kind."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.form_tokens import once_per_form_token
from core.permissions import permission_needed
from inventory.documents import purchase_order_pdf
from inventory.forms_purchasing import (
    CloseForm,
    DonationForm,
    DonationLineFormSet,
    PurchaseLineFormSet,
    PurchaseOrderForm,
    ReceiptForm,
    filled_rows,
)
from inventory.models import Item, PurchaseOrder, PurchaseOrderDocument, Supplier, Warehouse
from inventory.money import currency, purchase_order_money
from inventory.purchasing import (
    donation_receive,
    po_cancel,
    po_close,
    po_create,
    po_receive,
    po_send,
    purchase_orders_for_page,
    purchase_orders_list,
    suppliers_list,
)
from inventory.selectors import default_warehouse
from logistics.services import orders_reserve_due

Status = PurchaseOrder.Status
# Goods that arrive today may cover the orders due in the next two weeks.
COVER_DAYS = 14
# A row pre-filled from the forecast link may be emptied again like any other row.
OPTIONAL_ROWS = {"empty_permitted": True}


def _covered_message(request: HttpRequest) -> str:
    """Retry the orders waiting for stock and say how many the new goods now cover."""
    reserved, short = orders_reserve_due(date=timezone.localdate() + dt.timedelta(days=COVER_DAYS))
    parts = []
    if reserved:
        parts.append(
            ngettext("%(count)s waiting order is now covered.", "%(count)s waiting orders are now covered.", reserved)
            % {"count": reserved}
        )
    if short:
        parts.append(
            ngettext("%(count)s order still waits for stock.", "%(count)s orders still wait for stock.", short)
            % {"count": short}
        )
    return " ".join(parts)


def _int_param(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@permission_needed("inventory.view_purchaseorder")
def purchase_orders(request):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    return render(
        request,
        "inventory/purchasing/orders.html",
        {"orders": purchase_orders_list(status=status), "status": status, "statuses": Status.choices},
    )


def _new_order_initial(request: HttpRequest) -> tuple[dict, list[dict]]:
    """What a link such as "order this" from the forecast asks for: ?item=<pk>&quantity=<n>&supplier=<pk>."""
    item = Item.objects.filter(pk=_int_param(request, "item")).select_related("preferred_supplier").first()
    quantity = _int_param(request, "quantity")
    supplier = Supplier.objects.filter(pk=_int_param(request, "supplier"), kind=Supplier.Kind.SUPPLIER).first()
    if supplier is None and item is not None:
        supplier = item.preferred_supplier
    warehouse = Warehouse.objects.filter(pk=_int_param(request, "warehouse")).first()
    initial = {"supplier": supplier, "warehouse": warehouse or default_warehouse()}
    lines = [{"item": item, "quantity": quantity if quantity and quantity > 0 else None}] if item else []
    return initial, lines


@permission_needed("inventory.add_purchaseorder")
@once_per_form_token
def purchase_order_new(request):
    if request.method == "POST":
        form = PurchaseOrderForm(request.POST)
        formset = PurchaseLineFormSet(request.POST, prefix="lines", form_kwargs=OPTIONAL_ROWS)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                order = po_create(
                    actor=request.user,
                    supplier=data["supplier"],
                    warehouse=data["warehouse"],
                    lines=[
                        (row["item"], row["quantity"], row["unit_price"], row["vat_rate"])
                        for row in filled_rows(formset)
                    ],
                    expected_on=data["expected_on"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Purchase order %(reference)s saved as a draft: check it, then send it.")
                    % {"reference": order.reference},
                )
                return redirect("purchase_order_detail", pk=order.pk)
    else:
        initial, lines = _new_order_initial(request)
        form = PurchaseOrderForm(initial=initial)
        formset = PurchaseLineFormSet(initial=lines, prefix="lines", form_kwargs=OPTIONAL_ROWS)
    return render(
        request, "inventory/purchasing/order_new.html", {"form": form, "formset": formset, "currency": currency()}
    )


def _receipt_form(order: PurchaseOrder, data=None) -> ReceiptForm | None:
    if order.status not in (Status.SENT, Status.PARTLY_RECEIVED):
        return None
    return ReceiptForm(data, lines=[line for line in order.lines.all() if line.outstanding])


def _detail(request: HttpRequest, order: PurchaseOrder, receipt_form: ReceiptForm | None):
    return render(
        request,
        "inventory/purchasing/order_detail.html",
        {
            "order": order,
            "money": purchase_order_money(order),
            "currency": currency(),
            "documents": order.documents.only("pk", "file_name", "sent_to", "sent_at", "language"),
            "receipt_form": receipt_form,
            "close_form": CloseForm(),
            "can_change": request.user.has_perm("inventory.change_purchaseorder"),
            "can_receive": request.user.has_perms(["inventory.change_purchaseorder", "inventory.add_stocklot"]),
        },
    )


@permission_needed("inventory.view_purchaseorder")
def purchase_order_detail(request, pk: int):
    order = get_object_or_404(purchase_orders_for_page(), pk=pk)
    return _detail(request, order, _receipt_form(order))


@require_POST
@permission_needed("inventory.change_purchaseorder", "inventory.add_stocklot")
@once_per_form_token
def purchase_order_receive(request, pk: int):
    order = get_object_or_404(purchase_orders_for_page(), pk=pk)
    form = _receipt_form(order, request.POST)
    if form is None:
        messages.error(
            request,
            _("%(reference)s is “%(status)s”: goods are received only against a sent order. Nothing was received.")
            % {"reference": order.reference, "status": order.get_status_display()},
        )
        return redirect("purchase_order_detail", pk=order.pk)
    if form.is_valid():
        try:
            receiving = po_receive(
                actor=request.user,
                purchase_order=order,
                received_on=form.cleaned_data["received_on"],
                lines=form.receipt_lines(),
                differences=form.cleaned_data["differences"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            lots = receiving.lots.count()
            received = ngettext(
                "Received into %(count)s lot for %(reference)s.",
                "Received into %(count)s lots for %(reference)s.",
                lots,
            ) % {"count": lots, "reference": order.reference}
            messages.success(request, f"{received} {_covered_message(request)}".strip())
            return redirect("purchase_order_detail", pk=order.pk)
    # The form keeps what was typed, with the reason it was refused.
    return _detail(request, order, form)


def _status_action(request: HttpRequest, pk: int, action, done: str, **kwargs):
    order = get_object_or_404(PurchaseOrder, pk=pk)
    try:
        order = action(actor=request.user, purchase_order=order, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"reference": order.reference})
    return redirect("purchase_order_detail", pk=pk)


@require_POST
@permission_needed("inventory.change_purchaseorder")
def purchase_order_send(request, pk: int):
    order = get_object_or_404(PurchaseOrder, pk=pk)
    try:
        order = po_send(actor=request.user, purchase_order=order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except OSError:
        messages.error(
            request,
            _("The e-mail to the supplier could not be sent; %(reference)s is still a draft. Try again later.")
            % {"reference": order.reference},
        )
    else:
        sent_to = order.documents.values_list("sent_to", flat=True).first()
        if sent_to:
            messages.success(
                request,
                _("%(reference)s was e-mailed to %(email)s as a PDF; the sent copy is kept on this page.")
                % {"reference": order.reference, "email": sent_to},
            )
        else:
            messages.warning(
                request,
                _("%(reference)s is marked as sent, but the supplier has no e-mail: print its PDF and send it.")
                % {"reference": order.reference},
            )
    return redirect("purchase_order_detail", pk=pk)


@permission_needed("inventory.view_purchaseorder")
def purchase_order_document(request, pk: int, document_pk: int):
    document = get_object_or_404(PurchaseOrderDocument, pk=document_pk, purchase_order_id=pk)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.file_name}"'
    return response


@permission_needed("inventory.view_purchaseorder")
def purchase_order_pdf_preview(request, pk: int):
    """The PDF as it would be sent now, in the supplier's language (a draft can still change)."""
    order = get_object_or_404(purchase_orders_for_page(), pk=pk)
    content = purchase_order_pdf(order=order, language=order.supplier.language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.reference}.pdf"'
    return response


@require_POST
@permission_needed("inventory.change_purchaseorder")
def purchase_order_cancel(request, pk: int):
    return _status_action(request, pk, po_cancel, _("%(reference)s is cancelled."))


@require_POST
@permission_needed("inventory.change_purchaseorder")
def purchase_order_close(request, pk: int):
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _status_action(request, pk, po_close, _("%(reference)s is closed."), note=note)


@permission_needed("inventory.add_stocklot")
@once_per_form_token
def donation_new(request):
    form = DonationForm(request.POST or None)
    formset = DonationLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        rows = filled_rows(formset)
        try:
            receiving = donation_receive(
                actor=request.user,
                donor=data["donor"],
                warehouse=data["warehouse"],
                received_on=data["received_on"],
                lines=[
                    (row["item"], row["quantity"], row["lot_code"], row["expiry_date"], row["unit_value"])
                    for row in rows
                ],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            units = sum(row["quantity"] for row in rows)
            received = ngettext(
                "Donation from %(donor)s received: %(units)s unit.",
                "Donation from %(donor)s received: %(units)s units.",
                units,
            ) % {"donor": receiving.supplier.name, "units": units}
            messages.success(request, f"{received} {_covered_message(request)}".strip())
            return redirect("donation_new")
    return render(
        request, "inventory/purchasing/donation_new.html", {"form": form, "formset": formset, "currency": currency()}
    )


@permission_needed("inventory.view_supplier")
def suppliers(request):
    return render(request, "inventory/purchasing/suppliers.html", {"suppliers": suppliers_list()})
