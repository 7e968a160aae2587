"""The planning board: one day's readiness, the planning run's progress, the plan on a map and per round, and
the planner's edits (lock, reorder, move), each a POST that calls one service and comes back to the board."""

import datetime as dt
from collections.abc import Collection
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.dates import day_text
from core.params import id_param
from core.permissions import permission_needed
from delivery.models import Stop
from routing.board import run_publish, run_unpublish, stop_lock, stop_move
from routing.board_selectors import board as board_read
from routing.board_selectors import board_map, board_round
from routing.forms import BoardFilterForm, PlanDayForm, StopLockForm, StopMoveForm
from routing.live_selectors import orders_off_the_rounds
from routing.models import PlanningRun
from routing.selectors import run_current, run_latest, started_stops
from routing.services import planning_run_cancel, planning_run_start, run_progress
from routing.van_selectors import board_vans


@permission_needed("routing.view_planningrun")
def planning(request):
    """The planner's board for one day and some depots (all by default)."""
    filters = BoardFilterForm(request.GET)
    date, depots = filters.day, filters.depots
    form = PlanDayForm(request.POST or None, initial={"date": date})
    if request.method == "POST":
        if not request.user.has_perm("routing.plan_rounds"):
            messages.error(request, _("You may look at plans but not make them."))
        elif form.is_valid():
            date = form.cleaned_data["date"]
            objective = form.cleaned_data["objective"]
            if _start_run(request, date, insert="insert" in request.POST, objective=objective):
                return redirect(_board_url(date, request.POST.getlist("depot")))
    every_round, asked = _rounds_asked(request)
    board = board_read(date, depots, every_round=every_round, asked=asked)
    # The selector offers the objective the day is (being) planned for, not the default, so planning again keeps it.
    shown = board["active"] or board["plan"]
    if shown is not None and not form.is_bound:
        form.initial["objective"] = shown.objective
    board["board_query"] = urlencode(_board_query(date, [str(w.pk) for w in depots]))
    board["can_plan"], board["can_edit"] = _may_change(request.user, board["plan"], board["active"])
    # Once published, orders that became ready since go onto the live rounds one by one (routing.live).
    published = board["plan"] is not None and board["plan"].published_at is not None
    board["day_started"] = published and started_stops(date).exists()
    board["can_move"] = _may_move(board["can_plan"], board["can_edit"], day_started=board["day_started"])
    board["off_the_rounds"] = orders_off_the_rounds(date, {w.pk for w in depots}) if published else []
    return render(request, "routing/planning.html", board | {"form": form, "filters": filters})


def _may_change(user, plan: PlanningRun | None, active: PlanningRun | None) -> tuple[bool, bool]:
    """Whether the board's buttons are live: (plan the day, edit the plan's stops). Managers read the board; only
    planners get live buttons, and none while a run is working on the day. A published plan is unpublished before
    its stops move or it is re-optimised (the services refuse it)."""
    can_plan = user.has_perm("routing.plan_rounds") and active is None
    return can_plan, can_plan and not (plan and plan.published_at)


def _may_move(can_plan: bool, can_edit: bool, *, day_started: bool) -> bool:
    """Whether the stops' move buttons (and dragging) are live: on a draft, as every edit; once the day is under
    way, for the stops not yet visited (routing.board.stop_move says which may go where). A published plan whose
    vans have not left is unpublished first, as before."""
    return can_edit or (can_plan and day_started)


@require_GET
@permission_needed("routing.view_planningrun")
def board_round_stops(request, pk: int):
    """One round's stop table with its buttons, as the board lists an open round: board.js fetches it when the
    planner opens a round of a large day (without JavaScript the round's link opens the board with it open)."""
    row = board_round(pk)
    if row is None:
        raise Http404
    latest = run_latest(row["round"].date)
    active = latest if latest is not None and not latest.is_finished else None
    can_plan, can_edit = _may_change(request.user, row["plan"], active)
    day_started = row["plan"].published_at is not None and started_stops(row["round"].date).exists()
    depots = BoardFilterForm(request.GET).depots  # kept by the forms, so an edit comes back to the same board
    context = {
        "row": row,
        "depots": depots,
        "can_plan": can_plan,
        "can_edit": can_edit,
        "can_move": _may_move(can_plan, can_edit, day_started=day_started),
    }
    return render(request, "routing/_round_stops.html", context)


@require_GET
@permission_needed("routing.view_planningrun")
def board_map_data(request):
    """The map of a large day's board, for board.js: depots, rounds with their numbered stops, orders left out."""
    filters = BoardFilterForm(request.GET)
    return JsonResponse(board_map(filters.day, filters.depots))


@require_GET
@permission_needed("routing.view_planningrun")
def board_vans_data(request):
    """Where the vans of the rounds under way are, for board.js to refresh on the map every minute or so."""
    filters = BoardFilterForm(request.GET)
    response = JsonResponse(board_vans(filters.day, filters.depots))
    response["Cache-Control"] = "private, no-store"  # a van's position is old news within the minute
    return response


def _rounds_asked(request) -> tuple[bool, set[int]]:
    """Which rounds the board opens besides the default: `?round=all` every one, `?round=<id>` (repeatable) those."""
    values = request.GET.getlist("round")
    if "all" in values:
        return True, set()
    ids = {value: id_param(value) for value in values}
    bad = [value for value, pk in ids.items() if pk is None]
    if bad:
        messages.error(request, _("There is no round “%(value)s”: choose a round on the board.") % {"value": bad[0]})
    return False, {pk for pk in ids.values() if pk is not None}


def _start_run(request, date: dt.date, *, insert: bool, objective: str = "") -> PlanningRun | None:
    """Start a draft plan; fitting waiting orders into a published plan publishes the result at once, so drivers
    keep their rounds."""
    current = run_current(date)
    kind = PlanningRun.Kind.INSERT if insert else PlanningRun.Kind.FULL
    publish = bool(insert and current and current.published_at)
    # Fitting orders in keeps the objective the current plan was made with, unless the planner picked one.
    objective = objective or (current.objective if current else PlanningRun.Objective.VANS)
    try:
        run = planning_run_start(actor=request.user, date=date, kind=kind, publish=publish, objective=objective)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    run.refresh_from_db()  # without a broker the task has already run
    day = day_text(date)
    if run.status == PlanningRun.Status.DONE:
        if run.publish_when_done:
            messages.success(request, _("Rounds planned for %(date)s.") % {"date": day})
        else:
            messages.success(request, _("Draft rounds planned for %(date)s: check them, then publish.") % {"date": day})
    elif run.status == PlanningRun.Status.FAILED:
        messages.error(request, _("Planning failed. Try again; if it fails again, tell the administrator."))
    elif run.status == PlanningRun.Status.CANCELLED:
        messages.info(request, _("Planning was cancelled; the previous plan is unchanged."))
    else:
        messages.info(request, _("Planning has started; its progress is shown below."))
    return run


@require_GET
@permission_needed("routing.view_planningrun")
def planning_run_status(request, pk: int):
    """The run's progress for the board's progress bar."""
    return JsonResponse(run_progress(get_object_or_404(PlanningRun, pk=pk)))


def _run_action(request, pk: int, act, said_when_done) -> HttpResponse:
    """Run one of the plan's actions; a refusal is shown as it was given, and the planner goes back to the board."""
    run = get_object_or_404(PlanningRun, pk=pk)
    try:
        run = act(actor=request.user, run=run) or run
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, said_when_done(run))
    return redirect(_board_url(run.date, request.POST.getlist("depot")))


@require_POST
@permission_needed("routing.plan_rounds")
def planning_run_cancel_view(request, pk: int):
    def said(run):
        if run.status == PlanningRun.Status.CANCELLED:
            return _("Planning cancelled; the previous plan is unchanged.")
        return _("Cancelling: the run stops before it stores anything.")

    return _run_action(request, pk, planning_run_cancel, said)


@require_POST
@permission_needed("routing.plan_rounds")
def run_publish_view(request, pk: int):
    return _run_action(
        request,
        pk,
        run_publish,
        lambda run: _("Plan published: the orders are planned, and drivers and households are told."),
    )


@require_POST
@permission_needed("routing.plan_rounds")
def run_unpublish_view(request, pk: int):
    return _run_action(
        request,
        pk,
        run_unpublish,
        lambda run: _("Plan unpublished: it is a draft again and drivers no longer see it."),
    )


@require_POST
@permission_needed("routing.plan_rounds")
def stop_lock_view(request, pk: int):
    stop = get_object_or_404(Stop.objects.select_related("round__vehicle"), pk=pk)
    form = StopLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            stop = stop_lock(actor=request.user, stop=stop, locked=form.cleaned_data["locked"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            facts = {"number": stop.sequence, "van": stop.round.vehicle.name}
            if stop.locked:
                messages.success(request, _("Stop %(number)s of %(van)s locked: re-optimising keeps it there.") % facts)
            else:
                messages.success(request, _("Stop %(number)s of %(van)s unlocked.") % facts)
    depots = request.POST.getlist("depot")
    return redirect(_board_url(stop.round.date, depots, anchor=f"round-{stop.round_id}", rounds=[stop.round_id]))


@require_POST
@permission_needed("routing.plan_rounds")
def stop_move_view(request, pk: int):
    stop = get_object_or_404(Stop.objects.select_related("round"), pk=pk)
    depots = request.POST.getlist("depot")
    back = _board_url(stop.round.date, depots, anchor=f"round-{stop.round_id}", rounds=[stop.round_id])
    form = StopMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    to_round = form.cleaned_data["to_round"]
    try:
        warnings = stop_move(actor=request.user, stop=stop, to_round=to_round, position=form.cleaned_data["position"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    for warning in warnings:
        messages.warning(request, warning)
    if not warnings:
        messages.success(request, _("Moved, no warnings."))
    # Both rounds stay open on a large day's board: the one the stop left and the one it joined.
    rounds = list(dict.fromkeys([to_round.pk, stop.round_id]))
    return redirect(_board_url(stop.round.date, depots, anchor=f"round-{to_round.pk}", rounds=rounds))


def _errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _board_url(date: dt.date, depots: list[str], anchor: str = "", rounds: Collection[int] = ()) -> str:
    """Back to the board on the same day and depots, with `rounds` open; only numbers pass, the rest of the input
    is dropped."""
    query = _board_query(date, depots) + [("round", pk) for pk in rounds]
    return f"{reverse('planning')}?{urlencode(query)}" + (f"#{anchor}" if anchor else "")


def _board_query(date: dt.date, depots: list[str]) -> list[tuple[str, str]]:
    return [("date", date.isoformat())] + [("depot", pk) for pk in depots if id_param(pk) is not None]
