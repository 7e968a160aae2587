"""The erasure page: a manager sees what would be erased, types the household's number and a reason, and erases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import permission_needed
from requests_intake import erasure
from requests_intake.forms_erasure import ErasureForm
from requests_intake.models import Household


@permission_needed(*erasure.ERASE_PERMISSIONS)
def household_erase(request, pk: int):
    household = get_object_or_404(Household.objects.select_related("zone"), pk=pk)
    blockers = erasure.erasure_blockers(household)
    form = ErasureForm(request.POST or None, household=household)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            result = erasure.household_erase(
                actor=request.user, household=household, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(
                request,
                _(
                    "The personal data of household %(pk)s was erased (records: %(records)s, requests: "
                    "%(requests)s, proof files: %(files)s). Its history says who erased it, when and why."
                )
                % {
                    "pk": household.pk,
                    "records": result.households,
                    "requests": result.requests,
                    "files": result.files,
                },
            )
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "requests_intake/households/erase.html",
        {
            "household": household,
            "blockers": blockers,
            "form": form,
            "merged_here": erasure.erasure_records(household)[1:] if household.merged_into_id is None else [],
        },
    )
