from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.params import id_param
from core.permissions import permission_needed
from inventory.counts import count_differences, count_lines_update, count_post, count_start
from inventory.forms_counts import CountLineFormSet, CountStartForm, CountUploadForm
from inventory.models import StockCount
from inventory.resources import FORMATS, CountImportRefused, count_sheet_export, count_sheet_import, sheet_read

ACT = "inventory.add_stockcount"


def _may_act(request) -> None:
    if not request.user.has_perm(ACT):
        raise PermissionDenied


@permission_needed("inventory.view_stockcount")
def stock_counts(request):
    """Counts so far, and the form to start one."""
    form = CountStartForm(request.POST or None)
    if request.method == "POST":
        _may_act(request)
        if form.is_valid():
            try:
                count = count_start(
                    actor=request.user,
                    warehouse=form.cleaned_data["warehouse"],
                    counted_on=form.cleaned_data["counted_on"],
                    items=list(form.cleaned_data["items"]) or None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Count %(number)s started: fill in what the shelf holds.") % {"number": count.pk}
                )
                return redirect("stock_count_detail", pk=count.pk)
    counts = StockCount.objects.select_related("warehouse", "created_by").annotate(line_count=Count("lines"))
    return render(
        request,
        "inventory/counts/list.html",
        {"form": form, "counts": counts, "may_act": request.user.has_perm(ACT)},
    )


def _lines_match(data, count: StockCount, lines) -> None:
    """The posted rows are exactly the count's lines, checked before any form is built: a row for a line of another
    count, an id that is no id, or a page older than a sheet import would otherwise reach the database."""
    total, initial = (id_param(data.get(f"lines-{name}")) for name in ("TOTAL_FORMS", "INITIAL_FORMS"))
    expected = {line.pk for line in lines}
    posted = [id_param(data.get(f"lines-{index}-id")) for index in range(initial or 0)]
    if total != initial or initial != len(expected) or set(posted) != expected or len(posted) != len(set(posted)):
        raise ValidationError(
            _("The lines sent do not match count %(number)s; nothing was saved. Reload the page and enter the counts.")
            % {"number": count.pk},
            code="lines_mismatch",
        )


@permission_needed("inventory.view_stockcount")
def stock_count_detail(request, pk: int):
    """One count: edit counted units while it is a draft, export or import its sheet, review and post it."""
    count = get_object_or_404(StockCount.objects.select_related("warehouse", "created_by"), pk=pk)
    lines = count.lines.select_related("lot__item", "lot__balance").order_by("lot__item__sku", "lot__lot_code")
    formset = CountLineFormSet(queryset=lines, prefix="lines")
    upload = CountUploadForm()
    import_errors = []
    if request.method == "POST":
        _may_act(request)
        action = request.POST.get("action")
        try:
            if action in ("save", "review"):
                _lines_match(request.POST, count, lines)
                formset = CountLineFormSet(request.POST, queryset=lines, prefix="lines")
                if formset.is_valid():
                    changes = {f.instance.pk: (f.cleaned_data["counted"], f.cleaned_data["reason"]) for f in formset}
                    count_lines_update(actor=request.user, count=count, changes=changes)
                    if action == "review":
                        return redirect(f"{reverse('stock_count_detail', args=[count.pk])}?confirm=1")
                    messages.success(request, _("Counts saved."))
                    return redirect("stock_count_detail", pk=count.pk)
            elif action == "import":
                upload = CountUploadForm(request.POST, request.FILES)
                if upload.is_valid():
                    dataset = sheet_read(content=upload.cleaned_data["sheet"].read(), file_format=upload.file_format)
                    summary = count_sheet_import(actor=request.user, count=count, dataset=dataset)
                    messages.success(
                        request,
                        _("Sheet imported: %(rows)s rows read, %(added)s lots added to the count.")
                        % {"rows": summary.rows, "added": summary.added},
                    )
                    return redirect("stock_count_detail", pk=count.pk)
            elif action == "post":
                posted = count_post(actor=request.user, count=count)
                messages.success(
                    request,
                    ngettext(
                        "Count posted: %(n)s adjustment made.", "Count posted: %(n)s adjustments made.", len(posted)
                    )
                    % {"n": len(posted)},
                )
                return redirect("stock_count_detail", pk=count.pk)
        except CountImportRefused as exc:
            import_errors = exc.errors
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("stock_count_detail", pk=count.pk)
    draft = count.status == StockCount.Status.DRAFT
    return render(
        request,
        "inventory/counts/detail.html",
        {
            "count": count,
            "formset": formset,
            "upload": upload,
            "import_errors": import_errors,
            "may_act": draft and request.user.has_perm(ACT),
            "draft": draft,
            "confirm": draft and "confirm" in request.GET,
            "differences": count_differences(count) if draft else [],
            "posted_lines": lines if not draft else [],
            "formats": list(FORMATS),
        },
    )


@permission_needed("inventory.view_stockcount")
def stock_count_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    count = get_object_or_404(StockCount.objects.select_related("warehouse"), pk=pk)
    content, content_type, name = count_sheet_export(count=count, file_format=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
