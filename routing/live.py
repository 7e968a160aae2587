"""Fitting an order that became ready late into the day's live rounds.

Once a van has left, the day can no longer be planned again or taken back (routing.services, routing.board), yet
stock that arrives at noon makes orders ready that the morning's plan left out. `order_fit_live` puts one such
order on the round of its depot whose van is still at the depot and where it costs the fewest extra metres without
making any stop late, a load too heavy or a return after the shift; failing that, it sends a van that stays at
the depot today. Stops already on a van, or recorded at the door, never move: only rounds still at the depot
change, and the driver's phone picks up the new stop at its next sync. The household is told its window by the
one rule (logistics.windows), and the others on that round only if their told window changed."""

import copy
import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import Round, Stop
from inventory.models import Pack
from inventory.selectors import pack_sizes
from logistics.crew import Crew, crews_for
from logistics.lifecycle import AWAITING_STOCK, order_move
from logistics.models import DeliveryOrder, Vehicle
from logistics.services import order_reserve
from routing.adapter import crew_skills, orders_skills, pharmacy_refusal, pharmacy_spans, vehicle_capacity
from routing.board import RESEQUENCE_OFFSET, _retime, _with_stops, rounds_shifts, stop_demand, stop_window_end
from routing.eta import window_tell_if_moved
from routing.models import PlanningRun
from routing.reasons import explain
from routing.selectors import run_current, started_stops

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveFit:
    """Where the order went: its round, its (delivery) stop on it, and whether the round is a van sent out for it.
    A medication order's pickup goes onto the same round just before its delivery."""

    round: Round
    stop: Stop
    new_round: bool


def _breaks(round_: Round, stops: list[Stop], shift: tuple[dt.time, dt.time], sizes) -> set[tuple]:
    """What a round with these stops (timed) breaks, as comparable keys: a late stop by order, an over-full load by
    measure, a return after the shift. An insertion may add none of them."""
    broken: set[tuple] = set()
    for stop in stops:
        if timezone.localtime(stop.arrival_at).time() > stop_window_end(stop, round_.date):
            broken.add(("late", stop.order_id, stop.kind))
    load = [sum(values) for values in zip(*(stop_demand(s, sizes) for s in stops), strict=True)] or [0, 0, 0]
    for measure, (carried, capacity) in enumerate(zip(load, vehicle_capacity(round_.vehicle), strict=True)):
        if carried > capacity:
            broken.add(("load", measure))
    if stops and timezone.localtime(round_.end_at).time() > shift[1]:
        broken.add(("shift",))
    return broken


def _trial(round_: Round, stops: list[Stop], shift, sizes) -> tuple[Round, set[tuple], dict[int, dt.datetime]]:
    """The round timed with `stops` in this order, on a copy, with what it would break and each stop's arrival (by
    the stop's id()); the loaded rows keep their stored times."""
    trial = copy.copy(round_)
    stored = [s.arrival_at for s in stops]
    _retime(trial, stops, shift)
    arrivals = {id(s): s.arrival_at for s in stops}
    broken = _breaks(trial, stops, shift, sizes)
    for s, arrival in zip(stops, stored, strict=True):
        s.arrival_at = arrival
    return trial, broken, arrivals


def _best_place(round_: Round, newcomers: list[Stop], shift, sizes) -> tuple[int, int] | None:
    """(extra metres, position from 1) of the cheapest place on the round that breaks nothing new, or None.

    A medication order's pickup and delivery are tried side by side (the van goes from the pharmacy straight to
    the home): a place for each apart would cost a search over every pair of places for little gain."""
    stops = list(round_.stops.all())
    before = _breaks(round_, stops, shift, sizes)
    best = None
    for position in range(1, len(stops) + 2):
        trial, broken, _arrivals = _trial(
            round_, stops[: position - 1] + newcomers + stops[position - 1 :], shift, sizes
        )
        if broken <= before and not any(("late", s.order_id, s.kind) in broken for s in newcomers):
            extra = trial.distance_m - round_.distance_m
            if best is None or extra < best[0]:
                best = (extra, position)
    return best


def _refuse(order: DeliveryOrder, date: dt.date) -> None:
    if date < timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the past: its rounds can no longer take orders.") % {"date": day_text(date)},
            code="day_past",
        )
    if order.mode == DeliveryOrder.Mode.PICKUP:
        raise ValidationError(
            _("Order %(order)s is collected at the depot; it rides no van.") % {"order": order.pk},
            code="order_is_pickup",
        )
    if order.due_date > date:
        raise ValidationError(
            _("Order %(order)s is due on %(due)s, after %(date)s.")
            % {"order": order.pk, "due": day_text(order.due_date), "date": day_text(date)},
            code="order_not_due",
        )
    if Stop.objects.filter(order=order, outcome=Stop.Outcome.PENDING).exists():
        raise ValidationError(_("Order %(order)s is already on a round.") % {"order": order.pk}, code="order_on_round")
    if not order.household.has_location:
        raise ValidationError(
            _("The address of order %(order)s has no point on the map: place it on the household record first.")
            % {"order": order.pk},
            code="order_no_location",
        )
    refusal = pharmacy_refusal(order, pharmacy_spans([order], date))
    if refusal is not None:
        # The same reason and fix the day's plan gives, e.g. a pharmacy not on the map or closed that day.
        raise ValidationError(
            _("Order %(order)s cannot go out today: %(why)s")
            % {"order": order.pk, "why": explain(refusal.reason, refusal.fix_kind, refusal.fix_value)},
            code=refusal.reason,
        )


def _ready(order: DeliveryOrder) -> None:
    """Reserve the order's stock if it still waits for it (stock may have come in since the last pass)."""
    if order.status in AWAITING_STOCK:
        order_reserve(order=order)
        order.refresh_from_db(fields=["status"])
    if order.status != DeliveryOrder.Status.RESERVED:
        raise ValidationError(
            _("Order %(order)s is “%(status)s”, not ready to go: its stock is not all there.")
            % {"order": order.pk, "status": order.get_status_display()},
            code="order_not_ready",
        )


def _crews(date: dt.date) -> dict[int, Crew]:
    vehicles = list(Vehicle.objects.in_service().select_related("depot", "driver").order_by("pk"))
    return {crew.vehicle.pk: crew for crew in crews_for(date, vehicles).crews}


def _tell(stop: Stop) -> bool:
    """Tell the household its window on this stop by the one rule, when it moved past the service's tolerance from
    what it was told (the newcomer was told nothing for this day, so it always hears)."""
    return window_tell_if_moved(stop=stop, expected=stop.arrival_at)


@transaction.atomic
def order_fit_live(*, actor, order: DeliveryOrder, date: dt.date | None = None) -> LiveFit:
    """Put a ready order on the day's published rounds (see the module's note); refuse, changing nothing, when it
    is not ready, already on a round, or no round of its depot still at the depot nor an idle van can take it."""
    date = date or timezone.localdate()
    current = run_current(date)
    if current is None:
        raise ValidationError(
            _("Nothing is planned for %(date)s: plan the day instead.") % {"date": day_text(date)},
            code="no_plan_to_fit",
        )
    # The run first, as the board and stop removal lock it: a plan is never published or moved half changed.
    run = PlanningRun.objects.select_for_update().get(pk=current.pk)
    if run.published_at is None:
        raise ValidationError(
            _("The plan for %(date)s is a draft: fit waiting orders into the plan instead.") % {"date": day_text(date)},
            code="plan_not_published",
        )
    order = (
        DeliveryOrder.objects.select_for_update(of=("self",))
        .select_related("household", "warehouse", "plan__request__household", "plan__pharmacy")
        .get(pk=order.pk)
    )
    _refuse(order, date)
    _ready(order)
    prefetch_related_objects([order], "plan__pharmacy__hours", "lines")  # read at every place tried

    crews = _crews(date)
    needs = orders_skills([order])[order.pk]
    left = set(started_stops(date).values_list("round", flat=True))
    at_depot = run.rounds.filter(depot=order.warehouse).exclude(pk__in=left).order_by("pk")
    rounds = _with_stops(Round.objects.select_for_update(of=("self",)).filter(pk__in=at_depot.values("pk")))
    rounds = [r for r in rounds if r.vehicle_id in crews and needs <= crew_skills(crews[r.vehicle_id])]
    pack_ids = {line.pack_id for r in rounds for s in r.stops.all() for line in s.order.lines.all()}
    pack_ids |= set(order.lines.values_list("pack_id", flat=True))
    sizes = pack_sizes(Pack.objects.filter(pk__in=pack_ids).prefetch_related("components__item"))
    shifts = rounds_shifts(date, rounds)
    newcomers = [Stop(order=order, sequence=0, arrival_at=timezone.now())]
    if order.plan.pharmacy is not None:
        newcomers.insert(0, Stop(order=order, kind=Stop.Kind.PICKUP, sequence=0, arrival_at=timezone.now()))

    places = []
    for round_ in rounds:
        place = _best_place(round_, newcomers, shifts[round_.pk], sizes)
        if place is not None:
            places.append((place[0], round_.pk, round_, place[1]))
    if places:
        _extra, _pk, round_, position = min(places, key=lambda p: (p[0], p[1]))
        fit = _insert(run, round_, newcomers, position, shifts[round_.pk], new_round=False)
    else:
        fit = _send_idle_van(run, order, newcomers, crews, needs, sizes)
    order_move(order, DeliveryOrder.Status.PLANNED)
    run.unplaced.filter(order=order).delete()
    _tell(fit.stop)
    # Only the doors: a stop at a pharmacy tells nobody.
    rest = fit.round.stops.filter(kind=Stop.Kind.DELIVERY, outcome=Stop.Outcome.PENDING).exclude(pk=fit.stop.pk)
    for stop in rest.select_related("order__plan__request__household", "order__household"):
        _tell(stop)
    logger.info(
        "%s fitted order %s into round %s at %s%s", actor, order.pk, fit.round.pk, fit.stop.sequence,
        " (a van sent out for it)" if fit.new_round else "",
    )  # fmt: skip
    return fit


def _insert(
    run: PlanningRun, round_: Round, newcomers: list[Stop], position: int, shift, *, new_round: bool
) -> LiveFit:
    stops = list(round_.stops.all())
    stops[position - 1 : position - 1] = newcomers
    # Sequences are unique per round: the stops step aside, then everyone is numbered again from 1.
    Stop.objects.filter(round=round_).update(sequence=F("sequence") + RESEQUENCE_OFFSET)
    _retime(round_, stops, shift)
    for sequence, stop in enumerate(stops, start=1):
        stop.round, stop.sequence = round_, sequence
    for newcomer in newcomers:
        newcomer._change_reason = "fitted into a live round: its order became ready late"
        newcomer.save()
    Stop.objects.bulk_update([s for s in stops if all(s is not n for n in newcomers)], ["sequence", "arrival_at"])
    round_.save(update_fields=["start_at", "end_at", "distance_m"])
    run.total_distance_m = sum(run.rounds.values_list("distance_m", flat=True))
    run.save(update_fields=["total_distance_m"])
    return LiveFit(round=round_, stop=newcomers[-1], new_round=new_round)


def _send_idle_van(run: PlanningRun, order: DeliveryOrder, newcomers: list[Stop], crews, needs, sizes) -> LiveFit:
    """A van of the order's depot with a crew today and no round: it goes out for this order, if it can reach it
    in its window and shift and carry it."""
    busy = set(Round.objects.filter(date=run.date).values_list("vehicle", flat=True))
    idle = [
        crew
        for crew in crews.values()
        if crew.vehicle.depot_id == order.warehouse_id and crew.vehicle.pk not in busy and needs <= crew_skills(crew)
    ]
    for crew in sorted(idle, key=lambda c: (c.vehicle.daily_cost, c.vehicle.pk)):
        shift = (crew.start, crew.end)
        round_ = Round(run=run, date=run.date, vehicle=crew.vehicle, driver=crew.driver, depot=crew.vehicle.depot)
        trial, broken, _arrivals = _trial(round_, newcomers, shift, sizes)
        if broken:
            continue
        round_.start_at, round_.end_at, round_.distance_m = trial.start_at, trial.end_at, trial.distance_m
        round_.save()
        return _insert(run, round_, newcomers, 1, shift, new_round=True)
    raise ValidationError(
        _(
            "No round of %(depot)s still at the depot can take order %(order)s without a late stop, too much load "
            "or a late return, and no van of that depot is free: it waits for the next day's plan."
        )
        % {"depot": order.warehouse.name, "order": order.pk},
        code="no_live_round_fits",
    )
