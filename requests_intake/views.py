from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.permissions import permission_needed
from inventory.models import Pack
from requests_intake.forms import (
    AidRequestForm,
    ApprovalForm,
    HouseholdForm,
    HouseholdSearchForm,
    RejectionForm,
)
from requests_intake.models import AidRequest, Household
from requests_intake.selectors import households_search, requests_awaiting_assessment
from requests_intake.services import (
    aid_request_approve,
    aid_request_register,
    aid_request_reject,
    household_create,
)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@permission_needed("requests_intake.add_aidrequest", "requests_intake.view_household")
def intake(request):
    """Screen 1 of a call: find the household, or register a new one."""
    search = HouseholdSearchForm(request.GET or None)
    results = households_search(search.cleaned_data["q"]) if search.is_valid() and search.cleaned_data["q"] else None
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and request.user.has_perm("requests_intake.add_household") and form.is_valid():
        try:
            household = household_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Household %(name)s registered.") % {"name": household.full_name})
            return redirect("request_new", household_id=household.pk)
    return render(request, "requests_intake/intake.html", {"search": search, "results": results, "form": form})


@permission_needed("requests_intake.add_aidrequest")
def request_new(request, household_id: int):
    """Screen 2 of a call: what the household needs."""
    household = get_object_or_404(Household, pk=household_id)
    form = AidRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aid_request = aid_request_register(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Request %(reference)s registered and sent to assessment.") % {"reference": aid_request.reference},
            )
            return redirect("intake")
    return render(request, "requests_intake/request_new.html", {"household": household, "form": form})


@permission_needed("requests_intake.decide_aidrequest")
def assessment_queue(request):
    return render(request, "requests_intake/queue.html", {"aid_requests": requests_awaiting_assessment()})


@permission_needed("requests_intake.decide_aidrequest")
def assessment(request, pk: int):
    aid_request = get_object_or_404(AidRequest.objects.select_related("household__zone"), pk=pk)
    packs = list(Pack.objects.order_by("name"))
    approve_form = ApprovalForm(request.POST if "approve" in request.POST else None, packs=packs)
    reject_form = RejectionForm(request.POST if "reject" in request.POST else None)
    if "approve" in request.POST and approve_form.is_valid():
        try:
            aid_request_approve(
                actor=request.user,
                request=aid_request,
                packs=approve_form.pack_quantities(),
                priority=approve_form.cleaned_data["priority"],
                first_delivery_on=approve_form.cleaned_data["first_delivery_on"],
                repeat_every_days=approve_form.cleaned_data["repeat_every_days"],
                repeat_until=approve_form.cleaned_data["repeat_until"],
                notes=approve_form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            _add_errors(approve_form, exc)
        else:
            messages.success(request, _("Request %(reference)s approved.") % {"reference": aid_request.reference})
            return redirect("assessment_queue")
    if "reject" in request.POST and reject_form.is_valid():
        try:
            aid_request_reject(actor=request.user, request=aid_request, reason=reject_form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(reject_form, exc)
        else:
            messages.success(request, _("Request %(reference)s rejected.") % {"reference": aid_request.reference})
            return redirect("assessment_queue")
    return render(
        request,
        "requests_intake/assessment.html",
        {
            "aid_request": aid_request,
            "household": aid_request.household,
            "approve_form": approve_form,
            "reject_form": reject_form,
        },
    )
