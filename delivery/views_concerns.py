"""Welfare concerns raised by drivers, for the social workers of the household's zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from delivery.concerns import RECENT_DAYS, concern_acknowledge, concern_resolve, concerns_for, concerns_open_and_recent
from delivery.forms import ConcernResolveForm
from delivery.models import WelfareConcern


@permission_needed("delivery.view_welfareconcern")
def concerns(request):
    """Concerns still to resolve and those resolved lately, in the user's zones; managers read them all."""
    open_concerns, recent = concerns_open_and_recent(request.user)
    return render(
        request,
        "delivery/concerns.html",
        {"open_concerns": open_concerns, "recent": recent, "recent_days": RECENT_DAYS},
    )


@require_POST
@permission_needed("delivery.change_welfareconcern")
def concern_acknowledge_view(request, pk: int):
    # Looked up among the user's own zones: another zone's concern is not found at all.
    concern = get_object_or_404(concerns_for(request.user), pk=pk)
    try:
        concern_acknowledge(actor=request.user, concern=concern)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The concern is yours and in progress; resolve it once it is dealt with."))
    return redirect("concerns")


@permission_needed("delivery.change_welfareconcern")
def concern_resolve_view(request, pk: int):
    """The resolve form: the action taken and a closing note, both required."""
    concern = get_object_or_404(concerns_for(request.user), pk=pk)
    if concern.status == WelfareConcern.Status.RESOLVED:
        messages.info(request, _("This concern is already resolved."))
        return redirect("concerns")
    form = ConcernResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_resolve(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Concern resolved."))
            return redirect("concerns")
    return render(request, "delivery/concern_resolve.html", {"concern": concern, "form": form})
