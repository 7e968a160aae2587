"""Welfare concerns raised by drivers, for the social workers of the household's zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from delivery.concerns import RECENT_DAYS, concern_acknowledge, concerns_for, concerns_open_and_recent


@permission_needed("delivery.view_welfareconcern")
def concerns(request):
    """Open concerns and those taken up lately, in the user's zones; managers read them all."""
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
        messages.success(request, _("Concern marked as taken up by you."))
    return redirect("concerns")
