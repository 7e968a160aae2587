"""Case work pages: assigning the professional of reference, "My cases", and case notes (interventions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from requests_intake.cases import (
    ASSIGN_PERMISSION,
    CASE_WORKER_PERMISSION,
    READ_NOTES_PERMISSION,
    case_ensure_readable,
    case_workers_for,
    household_assign_worker,
    household_in_zones_of,
    intervention_record,
    interventions_of,
    my_cases,
)
from requests_intake.conversations import READ_PERMISSION as CONVERSATION_READ_PERMISSION
from requests_intake.conversations import household_opt_outs, unread_count
from requests_intake.forms_cases import AssignForm, InterventionForm
from requests_intake.models import Household


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def case_readable(user, household: Household) -> bool:
    return user.has_perm(READ_NOTES_PERMISSION) and household_in_zones_of(user, household)


def case_context(user, household: Household) -> dict:
    """What the household record shows of the case, for this user: nothing of it to those who may not read it."""
    readable = case_readable(user, household)
    may_assign = user.has_perm(ASSIGN_PERMISSION) and household_in_zones_of(user, household)
    return {
        "may_read_case": readable,
        "may_write_notes": readable and user.has_perm(CASE_WORKER_PERMISSION),
        "may_assign": may_assign,
        "assign_form": AssignForm(
            workers=case_workers_for(household), initial={"worker": household.reference_worker_id}
        )
        if may_assign
        else None,
        "assignments": household.assignments.select_related("from_worker", "to_worker", "assigned_by")[:10]
        if readable or may_assign
        else [],
        "interventions": interventions_of(household) if readable else [],
        "home_visits": household.home_visits.select_related("worker").order_by("-date", "-window_start")[:20]
        if readable
        else [],
        **conversation_context(user, household),
    }


def conversation_context(user, household: Household) -> dict:
    """The way to the household's conversation on its record: unread count and addresses that opted out."""
    may_read = user.has_perm(CONVERSATION_READ_PERMISSION)
    return {
        "may_read_conversation": may_read,
        "conversation_unread": unread_count(user, household) if may_read else 0,
        "opt_outs": household_opt_outs(household) if may_read else [],
    }


def _household_for_case(request, pk: int) -> Household:
    household = get_object_or_404(Household.objects.select_related("zone", "reference_worker"), pk=pk)
    if not household_in_zones_of(request.user, household):
        raise PermissionDenied
    return household


@require_POST
@permission_needed(ASSIGN_PERMISSION)
def household_assign(request, pk: int):
    household = _household_for_case(request, pk)
    form = AssignForm(request.POST, workers=case_workers_for(household))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("household_detail", pk=household.pk)
    try:
        household_assign_worker(
            actor=request.user,
            household=household,
            worker=form.cleaned_data["worker"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        worker = form.cleaned_data["worker"]
        if worker is None:
            messages.success(
                request, _("The case of %(name)s has no professional of reference now.") % {"name": household.full_name}
            )
        else:
            messages.success(
                request,
                _("%(worker)s is now the professional of reference of %(name)s.")
                % {"worker": worker.get_full_name() or worker.username, "name": household.full_name},
            )
    return redirect("household_detail", pk=household.pk)


@permission_needed(CASE_WORKER_PERMISSION)
def cases_mine(request):
    """The households this social worker follows, beside her zone queue."""
    return render(request, "requests_intake/cases/mine.html", {"households": my_cases(request.user)})


@permission_needed(CASE_WORKER_PERMISSION, READ_NOTES_PERMISSION)
def intervention_new(request, pk: int):
    household = _household_for_case(request, pk)
    case_ensure_readable(request.user, household)
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_record(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Intervention recorded."))
            return redirect("household_detail", pk=household.pk)
    return render(request, "requests_intake/cases/intervention_new.html", {"household": household, "form": form})
