"""The pharmacies page: the places medication is collected from, kept by planners and managers.

Pharmacies serve the whole service, not one zone: the page checks the role only, like the fleet page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from requests_intake.forms_pharmacies import PharmacyForm, hours_formset
from requests_intake.models import Pharmacy
from requests_intake.pharmacies import pharmacy_active_set, pharmacy_save, streets_like_pharmacy
from requests_intake.pharmacy_selectors import pharmacies_with_plans, pharmacy_active_plans, week_hours


@permission_needed("requests_intake.view_pharmacy")
def pharmacies(request):
    """Every pharmacy with its address, phone, week of hours and the medication plans that still name it."""
    rows = [(pharmacy, week_hours(pharmacy)) for pharmacy in pharmacies_with_plans(today=timezone.localdate())]
    return render(request, "requests_intake/pharmacies/list.html", {"rows": rows})


def _form_page(request, pharmacy: Pharmacy | None):
    form = PharmacyForm.for_pharmacy(pharmacy, request.POST or None)
    hours = hours_formset(pharmacy, request.POST or None)
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        data = form.cleaned_data
        # A new address gets its own point unless a point was typed with it (the old one would send the van to
        # the old door); blank numbers ask the address for the point.
        point_kept = pharmacy is None or form.point_changed() or "address" not in form.changed_data
        try:
            saved = pharmacy_save(
                actor=request.user,
                pharmacy=pharmacy,
                name=data["name"],
                address=data["address"],
                phone=data["phone"],
                latitude=data["latitude"] if point_kept else None,
                longitude=data["longitude"] if point_kept else None,
                hours=hours.spans(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            name = saved.pharmacy.name
            if saved.placed:
                messages.success(request, _("%(name)s was saved.") % {"name": name})
            else:
                messages.warning(request, _unplaced_message(saved.pharmacy))
            return redirect("pharmacies")
    return render(
        request,
        "requests_intake/pharmacies/form.html",
        {"pharmacy": pharmacy, "form": form, "hours": hours},
    )


def _unplaced_message(pharmacy: Pharmacy) -> str:
    message = _(
        "%(name)s was saved without a point on the map: its street is not in the street table. Give its latitude "
        "and longitude; until then its medication orders cannot be planned."
    ) % {"name": pharmacy.name}
    close = streets_like_pharmacy(pharmacy)
    if close:
        message += " " + _("Did you mean: %(streets)s?") % {"streets": ", ".join(close)}
    return message


@permission_needed("requests_intake.add_pharmacy")
def pharmacy_new(request):
    return _form_page(request, None)


@permission_needed("requests_intake.change_pharmacy")
def pharmacy_edit(request, pk: int):
    return _form_page(request, get_object_or_404(Pharmacy, pk=pk))


@require_POST
@permission_needed("requests_intake.change_pharmacy")
def pharmacy_active(request, pk: int):
    """Deactivate a pharmacy (plans that name it keep it) or bring it back to the approval form."""
    pharmacy = get_object_or_404(Pharmacy, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        pharmacy = pharmacy_active_set(actor=request.user, pharmacy=pharmacy, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("pharmacies")
    if active:
        messages.success(request, _("%(name)s is offered again when approving medication.") % {"name": pharmacy})
        return redirect("pharmacies")
    still = pharmacy_active_plans(pharmacy, today=timezone.localdate())
    if still:
        messages.warning(
            request,
            ngettext(
                "%(name)s is no longer offered when approving medication. %(count)s plan still names it and keeps "
                "collecting there until its social worker chooses another pharmacy.",
                "%(name)s is no longer offered when approving medication. %(count)s plans still name it and keep "
                "collecting there until their social worker chooses another pharmacy.",
                still,
            )
            % {"name": pharmacy, "count": still},
        )
    else:
        messages.success(request, _("%(name)s is no longer offered when approving medication.") % {"name": pharmacy})
    return redirect("pharmacies")
