"""The planning board: one day's readiness, the planning run's progress, the plan on a map and per round, and
the planner's edits (lock, reorder, move), each a POST that calls one service and comes back to the board."""

import datetime as dt
from collections.abc import Collection
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.params import id_param
from core.permissions import permission_needed
from delivery.models import Stop
from inventory.models import Pack, Warehouse
from logistics.crew import Roster, crews_for
from logistics.models import DeliveryOrder, DeliveryOrderLine, Vehicle
from routing.board import run_publish, run_unpublish, run_warnings, stop_lock, stop_move
from routing.forms import BoardFilterForm, PlanDayForm, StopLockForm, StopMoveForm
from routing.models import PlanningRun
from routing.selectors import orders_waiting, run_current, run_latest
from routing.services import planning_run_cancel, planning_run_start, run_progress

# Told apart at a glance on the map and in the round headers; repeats after ten rounds.
ROUND_COLOURS = [
    "#1f6fb4", "#c0392b", "#1e8449", "#7d3c98", "#d35400",
    "#138d90", "#8e5a2b", "#c2185b", "#566573", "#9a7d0a",
]  # fmt: skip


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
            if _start_run(request, date, insert="insert" in request.POST):
                return redirect(_board_url(date, request.POST.getlist("depot")))
    every_round, asked = _rounds_asked(request)
    board = _board(date, depots, every_round=every_round, asked=asked)
    # Managers read the board; only planners get live buttons, and none while a run is working on the day.
    # A published plan is unpublished before its stops move or it is re-optimised (the services refuse it).
    board["can_plan"] = request.user.has_perm("routing.plan_rounds") and board["active"] is None
    board["can_edit"] = board["can_plan"] and not (board["plan"] and board["plan"].published_at)
    return render(request, "routing/planning.html", board | {"form": form, "filters": filters})


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


def _start_run(request, date: dt.date, *, insert: bool) -> PlanningRun | None:
    """Start a draft plan; fitting waiting orders into a published plan publishes the result at once, so drivers
    keep their rounds."""
    current = run_current(date)
    kind = PlanningRun.Kind.INSERT if insert else PlanningRun.Kind.FULL
    publish = bool(insert and current and current.published_at)
    try:
        run = planning_run_start(actor=request.user, date=date, kind=kind, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    run.refresh_from_db()  # without a broker the task has already run
    day = date.strftime("%d/%m/%Y")
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


# What the board shows. These read only; they live here because nothing else shows the board.


# Above this many stops the board lists its rounds closed and opens only those asked for: two thousand stop rows
# are megabytes of HTML and seconds of rendering, and nobody reads them at once.
BOARD_OPEN_STOPS = 300


def _board(date: dt.date, depots: list[Warehouse], *, every_round: bool = False, asked: Collection[int] = ()) -> dict:
    depot_ids = {w.pk for w in depots}
    latest = run_latest(date)
    working = latest is not None and latest.status in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING)
    plan = run_current(date)
    rounds = _rounds(plan, depot_ids) if plan else []
    stop_count = sum(len(row["stops"]) for row in rounds)
    for row in rounds:
        row["open"] = every_round or stop_count <= BOARD_OPEN_STOPS or row["round"].pk in asked
    unplaced = _unplaced(plan, depot_ids) if plan else []
    return {
        "date": date,
        "depots": depots,
        "latest": latest,
        "active": latest if working else None,
        "plan": plan,
        "rounds": rounds,
        "stop_count": stop_count,
        "rounds_closed": any(not row["open"] for row in rounds),
        "board_query": urlencode(_board_query(date, [str(w.pk) for w in depots])),
        "unplaced": unplaced,
        "waiting": orders_waiting(plan) if plan and rounds else 0,
        "map_data": _map_data(rounds, unplaced, _depots_shown(depots, rounds)),
        **_readiness(date, depot_ids),
    }


def _rounds(plan: PlanningRun, depot_ids: set[int]) -> list[dict]:
    """The plan's rounds with their stops, colour and warnings; colours follow the whole day so they stay put
    when the board shows fewer depots. The stops are loaded once, with only what the board and the warnings read."""
    every_round = list(plan.rounds.select_related("vehicle", "driver", "depot").order_by("vehicle__name"))
    colours = {round_.pk: ROUND_COLOURS[index % len(ROUND_COLOURS)] for index, round_ in enumerate(every_round)}
    shown = [round_ for round_ in every_round if not depot_ids or round_.depot_id in depot_ids]
    prefetch_related_objects(shown, Prefetch("stops", queryset=_board_stops()))
    warnings = run_warnings(plan, rounds=shown)
    rows = [
        {
            "round": round_,
            "stops": list(round_.stops.all()),
            "colour": colours[round_.pk],
            "warnings": warnings.get(round_.pk, []),
        }
        for round_ in shown
    ]
    for row in rows:  # where each stop may be moved: the rounds leaving from the same depot
        row["targets"] = [other["round"] for other in rows if other["round"].depot_id == row["round"].depot_id]
    return rows


BOARD_STOP_COLUMNS = (
    "round", "order", "sequence", "arrival_at", "outcome", "locked",
    "order__window_start", "order__window_end",
    "order__household__given_name", "order__household__family_name", "order__household__address",
    "order__household__latitude", "order__household__longitude",
)  # fmt: skip


def _board_stops():
    """A round's stops with only the columns the board, its map and the round warnings read."""
    # The packs by prefetch: a day has a handful of packs, and a join would build one per line.
    lines = DeliveryOrderLine.objects.only("order", "pack", "quantity").order_by("pk")
    return (
        Stop.objects.select_related("order__household")
        .only(*BOARD_STOP_COLUMNS)
        .prefetch_related(
            Prefetch("order__lines", queryset=lines), Prefetch("order__lines__pack", queryset=Pack.objects.only("name"))
        )
        .order_by("sequence")
    )


def _unplaced(plan: PlanningRun, depot_ids: set[int]):
    unplaced = plan.unplaced.select_related("order__household", "order__warehouse").order_by("order__priority", "pk")
    return list(unplaced.filter(order__warehouse__in=depot_ids) if depot_ids else unplaced)


def _depots_shown(depots: list[Warehouse], rounds: list[dict]) -> list[Warehouse]:
    if depots:
        return depots
    shown = {row["round"].depot for row in rounds}
    shown.update(Warehouse.objects.filter(pk__in=Vehicle.objects.filter(is_available=True).values("depot")))
    return sorted(shown, key=lambda w: w.name)


def _point(latitude, longitude) -> list[float]:
    return [float(latitude), float(longitude)]


def _map_data(rounds: list[dict], unplaced, depots: list[Warehouse]) -> dict:
    """What board.js draws: depots, each round's line and numbered stops, and the orders left out."""
    here = timezone.get_current_timezone()  # once: a large day has thousands of stops to label
    data = {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "depots": [{"name": w.name, "point": _point(w.latitude, w.longitude)} for w in depots],
        "rounds": [],
        "left_out": [],
    }
    for row in rounds:
        round_ = row["round"]
        data["rounds"].append(
            {
                "id": round_.pk,
                "name": round_.vehicle.name,
                "colour": row["colour"],
                "depot": _point(round_.depot.latitude, round_.depot.longitude),
                "stops": [
                    {
                        "sequence": stop.sequence,
                        "point": _point(stop.order.household.latitude, stop.order.household.longitude),
                        "label": f"{round_.vehicle.name} · {stop.sequence}. {stop.order.household.full_name} · "
                        f"{stop.arrival_at.astimezone(here):%H:%M}",
                    }
                    for stop in row["stops"]
                    if stop.order.household.has_location
                ],
            }
        )
    for left in unplaced:
        household = left.order.household
        if household.has_location:
            data["left_out"].append(
                {
                    "point": _point(household.latitude, household.longitude),
                    "label": f"{household.full_name}: {left.explanation}",
                }
            )
    data["has_points"] = bool(data["depots"] or data["left_out"] or any(r["stops"] for r in data["rounds"]))
    return data


def _readiness(date: dt.date, depot_ids: set[int]) -> dict:
    """Today's readiness: the due orders by status, those without their stock, the vans and who drives them."""
    due = DeliveryOrder.objects.filter(due_date=date)
    not_ready = DeliveryOrder.objects.filter(
        due_date__lte=date, status__in=[DeliveryOrder.Status.SHORT, DeliveryOrder.Status.PENDING]
    )
    if depot_ids:
        due, not_ready = due.filter(warehouse__in=depot_ids), not_ready.filter(warehouse__in=depot_ids)
    counts = {row["status"]: row["n"] for row in due.values("status").annotate(n=Count("pk"))}
    not_ready = not_ready.select_related("household", "warehouse").prefetch_related("lines__pack")

    # Pairs are made over the whole fleet, as planning does, and only then narrowed to the depots shown.
    available = list(Vehicle.objects.filter(is_available=True).select_related("depot", "driver").order_by("pk"))
    roster = Roster(date, date)
    day = crews_for(date, available, roster)
    people = sorted(roster.people.values(), key=lambda p: (p.first_name, p.last_name, p.username))
    hours = roster.hours(date)
    driving = {crew.driver.pk: crew.vehicle for crew in day.crews if crew.driver}
    staying = [(van, _staying_home_reason(van, hours)) for van in day.stay_home]
    staying += [
        (van, _("Marked unavailable."))
        for van in Vehicle.objects.filter(is_available=False).select_related("depot", "driver").order_by("name")
    ]
    return {
        "counts": counts,
        "not_ready": list(not_ready.order_by("due_date", "priority", "pk")),
        "crews": [c for c in day.crews if not depot_ids or c.vehicle.depot_id in depot_ids],
        "staying_home": [(van, why) for van, why in staying if not depot_ids or van.depot_id in depot_ids],
        "drivers_working": [(p, hours[p.pk], driving.get(p.pk)) for p in people if p.pk in hours],
    }


def _staying_home_reason(van: Vehicle, hours: dict) -> str:
    if van.driver_id and van.driver_id not in hours:
        name = van.driver.get_full_name() or van.driver.username
        return _("%(driver)s is off that day and no other driver is free.") % {"driver": name}
    return _("Its driver that day works other hours than the van's shift.")
