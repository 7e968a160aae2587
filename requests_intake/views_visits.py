"""Home visits: scheduling one from the household record, and the social worker's phone page for the day."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from requests_intake.cases import case_ensure_readable
from requests_intake.forms_cases import HomeVisitForm, VisitOutcomeForm
from requests_intake.models import HomeVisit
from requests_intake.views_cases import _add_errors, _household_for_case
from requests_intake.visits import home_visit_cancel, home_visit_record_outcome, home_visit_schedule, visits_day

SCHEDULE = "requests_intake.add_homevisit"


@permission_needed(SCHEDULE)
def visit_new(request, pk: int):
    household = _household_for_case(request, pk)
    case_ensure_readable(request.user, household)
    form = HomeVisitForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            home_visit_schedule(actor=request.user, household=household, worker=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Home visit scheduled."))
            return redirect("household_detail", pk=household.pk)
    return render(request, "requests_intake/cases/visit_new.html", {"household": household, "form": form})


@permission_needed(SCHEDULE)
def visits_today(request):
    """The day's visits in the order the routing engine gives, with arrival times; made for a phone."""
    today = timezone.localdate()
    return render(
        request,
        "requests_intake/cases/visits_today.html",
        {"today": today, "day": visits_day(request.user, today), "outcome_form": VisitOutcomeForm()},
    )


def _own_visit(request, pk: int) -> HomeVisit:
    # Looked up among the user's own visits: someone else's visit is not found at all.
    return get_object_or_404(HomeVisit.objects.select_related("household"), pk=pk, worker=request.user)


@require_POST
@permission_needed(SCHEDULE)
def visit_outcome(request, pk: int):
    visit = _own_visit(request, pk)
    form = VisitOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("visits_today")
    try:
        home_visit_record_outcome(actor=request.user, visit=visit, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Visit to %(name)s recorded.") % {"name": visit.household.full_name})
    return redirect("visits_today")


@require_POST
@permission_needed(SCHEDULE)
def visit_cancel(request, pk: int):
    visit = _own_visit(request, pk)
    try:
        home_visit_cancel(actor=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Visit to %(name)s cancelled.") % {"name": visit.household.full_name})
    return redirect("visits_today")
