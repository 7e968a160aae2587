"""The conversation pages: the inbox of unread messages of one's zones, and a household's thread with the reply."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import permission_needed
from requests_intake.conversations import (
    READ_PERMISSION,
    REPLY_PERMISSION,
    conversation_mark_read,
    conversation_messages,
    conversation_reply,
    household_opt_outs,
    unread_conversations,
)
from requests_intake.forms_conversations import ReplyForm
from requests_intake.models import Household
from requests_intake.zone_access import zone_open_to


@permission_needed(READ_PERMISSION)
def conversations_inbox(request):
    """Households of my zones that wrote and nobody has read yet, the longest waiting first."""
    return render(
        request, "requests_intake/conversations/inbox.html", {"conversations": unread_conversations(request.user)}
    )


@require_http_methods(["GET", "POST"])
@permission_needed(READ_PERMISSION)
def conversation(request, pk: int):
    household = get_object_or_404(Household.objects.select_related("zone"), pk=pk)
    if not zone_open_to(request.user, household.zone_id):
        raise PermissionDenied
    may_reply = request.user.has_perm(REPLY_PERMISSION)
    form = ReplyForm(request.POST or None) if may_reply else None
    if request.method == "POST":
        if not may_reply:
            raise PermissionDenied
        if form.is_valid():
            try:
                conversation_reply(actor=request.user, household=household, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error(None, exc)  # a refusal by field lands on its field
            else:
                messages.success(request, _("Your reply is on its way."))
                return redirect("conversation", pk=household.pk)
    elif may_reply:
        # Read by whoever answers the household (intake, social workers); a manager looking in leaves it unread.
        conversation_mark_read(household=household)
    return render(
        request,
        "requests_intake/conversations/thread.html",
        {
            "household": household,
            "thread": conversation_messages(household),
            "opt_outs": household_opt_outs(household),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
