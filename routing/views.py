import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.permissions import permission_needed
from logistics.selectors import order_status_counts
from routing.forms import PlanDayForm
from routing.models import PlanningRun
from routing.selectors import orders_waiting, run_latest, run_rounds
from routing.services import planning_run_start


@permission_needed("routing.view_planningrun")
def planning(request):
    """The planner's board for one day: plan it, see the rounds, the orders left out and the manifests."""
    try:
        date = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        date = timezone.localdate() + dt.timedelta(days=1)
    form = PlanDayForm(request.POST or None, initial={"date": date})
    if request.method == "POST":
        if not request.user.has_perm("routing.plan_rounds"):
            messages.error(request, _("You may look at plans but not make them."))
        elif form.is_valid():
            date = form.cleaned_data["date"]
            try:
                kind = PlanningRun.Kind.INSERT if "insert" in request.POST else PlanningRun.Kind.FULL
                run = planning_run_start(actor=request.user, date=date, kind=kind)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                run.refresh_from_db()
                if run.status == PlanningRun.Status.DONE:
                    messages.success(request, _("Rounds planned for %(date)s.") % {"date": date.strftime("%d/%m/%Y")})
                elif run.status == PlanningRun.Status.FAILED:
                    messages.error(request, _("Planning failed. Try again; if it fails again, tell the administrator."))
                else:
                    messages.info(request, _("Planning has been queued; refresh this page in a moment."))
                return redirect(f"{reverse('planning')}?date={date.isoformat()}")
    run = run_latest(date)
    rounds = run_rounds(run) if run else []
    unplaced = run.unplaced.select_related("order__household").order_by("order__priority") if run else []
    return render(
        request,
        "routing/planning.html",
        {
            "form": form,
            "date": date,
            "run": run,
            "rounds": rounds,
            "unplaced": unplaced,
            "counts": order_status_counts(date),
            "waiting": orders_waiting(run) if rounds else 0,
        },
    )
