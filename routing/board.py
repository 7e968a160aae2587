"""The planning board's changes to a stored plan: move or reorder a stop (its rounds re-timed and re-checked),
lock a stop for the next re-optimisation, publish a plan to drivers and households, take it back while nothing
has left the depot."""

import datetime as dt
import logging
from collections.abc import Collection, Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import day_text
from delivery.models import Round, Stop
from inventory.models import Pack
from inventory.selectors import pack_sizes
from logistics.crew import working_hours
from logistics.lifecycle import orders_move
from logistics.models import DeliveryOrder
from logistics.windows import arrival_window
from requests_intake.models import Notification
from requests_intake.notifications import notification_create
from routing.adapter import (
    PICKUP_SERVICE_TIME_S,
    at,
    location,
    order_demand,
    pickup_windows,
    seconds,
    vehicle_capacity,
)
from routing.models import PlanningRun
from routing.selectors import run_current, started_stops
from routing.travel import travel_matrices

logger = logging.getLogger(__name__)

# Sequences are unique per round: while renumbering, the stops step aside above any real sequence.
RESEQUENCE_OFFSET = 10_000

Sizes = dict[int, tuple[int, int]]


def _clock(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _day(date: dt.date) -> str:
    return day_text(date)


# --- Warnings -------------------------------------------------------------------------------------------------


def rounds_shifts(date: dt.date, rounds: Sequence[Round]) -> dict[int, tuple[dt.time, dt.time]]:
    """Each round's hours as planning gave them: the van's, cut to its driver's shift that day."""
    hours = working_hours(date, sorted({r.driver_id for r in rounds if r.driver_id}))
    shifts = {}
    for round_ in rounds:
        start, end = round_.vehicle.shift_start, round_.vehicle.shift_end
        driver_hours = hours.get(round_.driver_id)
        if driver_hours is not None:
            start, end = max(start, driver_hours[0]), min(end, driver_hours[1])
        shifts[round_.pk] = (start, end)
    return shifts


def _sizes(rounds: list[Round]) -> Sizes:
    pack_ids = {line.pack_id for r in rounds for stop in r.stops.all() for line in stop.order.lines.all()}
    return pack_sizes(Pack.objects.filter(pk__in=pack_ids).prefetch_related("components__item"))


def _with_stops(rounds):
    stops = (
        Stop.objects.select_related("order__household", "order__plan__pharmacy")
        .prefetch_related("order__lines", "order__plan__pharmacy__hours")
        .order_by("sequence")
    )
    return list(rounds.select_related("vehicle", "depot").prefetch_related(Prefetch("stops", queryset=stops)))


# --- A stop's place and hours: a home in its window, or a pharmacy while it is open ----------------------------
# The stops passed here are loaded by `_with_stops` (or carry their order with its plan, pharmacy and hours).


def stop_point(stop: Stop):
    """Where the van stops: the pharmacy for a pickup, the household's home for a delivery."""
    return location(stop.order.plan.pharmacy if stop.kind == Stop.Kind.PICKUP else stop.order.household)


def stop_spans(stop: Stop, date: dt.date) -> list[tuple[int, int]]:
    """When the stop may start, in seconds from midnight: the household's window for a delivery; for a pickup the
    pharmacy's opening spans that weekday, each ending early enough to be served before it closes, as planning
    gives them (none: the pharmacy is closed that day)."""
    if stop.kind != Stop.Kind.PICKUP:
        return [(seconds(stop.order.window_start), seconds(stop.order.window_end))]
    hours = stop.order.plan.pharmacy.hours.all()
    return pickup_spans([(h.opens, h.closes) for h in hours if h.weekday == date.weekday()])


def pickup_spans(hours: list[tuple[dt.time, dt.time]]) -> list[tuple[int, int]]:
    """A pharmacy's opening spans of one day as a pickup's windows, in seconds, as planning gives them."""
    if not hours:
        return []
    first, more = pickup_windows(sorted((seconds(opens), seconds(closes)) for opens, closes in hours))
    return [(w.start, w.end) for w in (first, *more)]


def span_used(arrival: dt.time, hours: list[tuple[dt.time, dt.time]]) -> tuple[dt.time, dt.time] | None:
    """The opening span a pickup at `arrival` is planned in (the next one when it falls between two, the last one
    when after all); None when the pharmacy has no hours that day."""
    spans = sorted(hours)
    if not spans:
        return None
    return next((span for span in spans if arrival <= span[1]), spans[-1])


def stop_service(stop: Stop) -> int:
    return PICKUP_SERVICE_TIME_S if stop.kind == Stop.Kind.PICKUP else settings.ROUTING_SERVICE_TIME_S


def _earliest(ready: int, spans: list[tuple[int, int]]) -> int:
    """The first moment from `ready` inside a span (waiting for a door that opens later); `ready` when none is left:
    the stop is then late, and the warnings say so."""
    for start, end in spans:
        if ready <= end:
            return max(ready, start)
    return ready


def late_after(spans: list[tuple[int, int]]) -> dt.time:
    """The time after which the stop is late: its window's end; midnight for a pharmacy closed that day."""
    end = spans[-1][1] if spans else 0
    return dt.time(end // 3600, end % 3600 // 60)


def stop_name(stop: Stop) -> str:
    if stop.kind == Stop.Kind.PICKUP:
        return _("Pharmacy pickup: %(pharmacy)s") % {"pharmacy": stop.order.plan.pharmacy.name}
    return stop.order.household.full_name


def stop_demand(stop: Stop, sizes: Sizes) -> tuple[int, int, int]:
    """What the stop adds to the van's load from the depot: a pickup adds nothing (the packs ride with the
    delivery; the medication is the pharmacy's, never depot stock)."""
    return (0, 0, 0) if stop.kind == Stop.Kind.PICKUP else order_demand(stop.order, sizes)


def stop_window_end(stop: Stop, date: dt.date) -> dt.time:
    """The time after which the stop is late (see `late_after`)."""
    return stop.order.window_end if stop.kind != Stop.Kind.PICKUP else late_after(stop_spans(stop, date))


class StopFacts(NamedTuple):
    """What a round's warnings read of one stop: the board builds these from plain rows, the services from
    loaded stops, and both go through `stops_warnings`, so the board warns as a move does."""

    sequence: int
    arrival_at: dt.datetime
    window_end: dt.time
    name: str
    demand: tuple[int, int, int]  # grams, centilitres, packs, as `order_demand`


def _facts(stop: Stop, sizes: Sizes, date: dt.date) -> StopFacts:
    return StopFacts(
        stop.sequence, stop.arrival_at, stop_window_end(stop, date), stop_name(stop), stop_demand(stop, sizes)
    )


def _warnings(round_: Round, shift: tuple[dt.time, dt.time], sizes: Sizes) -> list[str]:
    return stops_warnings(round_, [_facts(stop, sizes, round_.date) for stop in round_.stops.all()], shift)


def arrives_late(arrival_at: dt.datetime, window_end: dt.time) -> bool:
    """Whether a van reaching the door at `arrival_at` comes after the household's window has closed."""
    return timezone.localtime(arrival_at).time() > window_end


def stops_arriving_late() -> Q:
    """`arrives_late` as a filter on stops, for reads that do not load every stop (a large day's board): the
    arrival's time in the current time zone, as `timezone.localtime`, after its order's window end."""
    return Q(arrival_at__time__gt=F("order__window_end"))


def stops_warnings(round_: Round, stops: Sequence[StopFacts], shift: tuple[dt.time, dt.time]) -> list[str]:
    """What a round with these stops (in order) breaks: late arrivals, too much load, a late return."""
    late = [stop for stop in stops if arrives_late(stop.arrival_at, stop.window_end)]
    load = tuple(sum(values) for values in zip(*(stop.demand for stop in stops), strict=True)) or (0, 0, 0)
    return summary_warnings(round_, late, load, has_stops=bool(stops), shift=shift)


def summary_warnings(
    round_: Round,
    late: Sequence[StopFacts],
    load: tuple[int, int, int],
    *,
    has_stops: bool,
    shift: tuple[dt.time, dt.time],
) -> list[str]:
    """The round's warnings from what they read of it: its late stops (in order), its whole load (grams,
    centilitres, packs) and whether it has stops at all. A large day's board gives these summed in the database
    instead of stop by stop; both ways end here, so they warn alike."""
    warnings = []
    for stop in late:
        warnings.append(
            _("Stop %(sequence)s, %(name)s: arrives at %(time)s, after its window closes at %(end)s.")
            % {
                "sequence": stop.sequence,
                "name": stop.name,
                "time": _clock(stop.arrival_at),
                "end": stop.window_end.strftime("%H:%M"),
            }
        )
    grams, centilitres, packs = load
    capacity_g, capacity_cl, capacity_packs = vehicle_capacity(round_.vehicle)
    if grams > capacity_g:
        warnings.append(
            _("Over capacity: %(load)s kg on a van that carries %(capacity)s kg.")
            % {"load": number_format(grams / 1000, 1), "capacity": round_.vehicle.capacity_kg}
        )
    if centilitres > capacity_cl:
        warnings.append(
            _("Over capacity: %(load)s l on a van that carries %(capacity)s l.")
            % {"load": number_format(centilitres / 100, 1), "capacity": round_.vehicle.capacity_l}
        )
    if packs > capacity_packs:
        warnings.append(
            _("Over capacity: %(load)s packs on a van that carries %(capacity)s.")
            % {"load": packs, "capacity": capacity_packs}
        )
    if has_stops and timezone.localtime(round_.end_at).time() > shift[1]:
        warnings.append(
            _("Back at the depot at %(time)s, after the shift ends at %(end)s.")
            % {"time": _clock(round_.end_at), "end": shift[1].strftime("%H:%M")}
        )
    return warnings


def round_warnings(round_: Round) -> list[str]:
    """What the round breaks, from its stored arrivals and loads: late arrivals, too much load, a late return."""
    rounds = _with_stops(Round.objects.filter(pk=round_.pk))
    return _warnings(rounds[0], rounds_shifts(rounds[0].date, rounds)[rounds[0].pk], _sizes(rounds))


def run_warnings(run: PlanningRun) -> dict[int, list[str]]:
    """round_warnings for every round of the run, by round id, in a fixed number of queries."""
    rounds = _with_stops(run.rounds.all())
    shifts, sizes = rounds_shifts(run.date, rounds), _sizes(rounds)
    return {round_.pk: _warnings(round_, shifts[round_.pk], sizes) for round_ in rounds}


# --- Editing --------------------------------------------------------------------------------------------------


def _retime(round_: Round, stops: list[Stop], shift: tuple[dt.time, dt.time]) -> None:
    """Arrivals, start, end and distance of the round with its stops in this order, timed as the solver times
    them: the same travel matrices and service time, waiting at a door that opens later."""
    start = seconds(shift[0])
    if not stops:
        round_.start_at = round_.end_at = at(round_.date, start)
        round_.distance_m = 0
        return
    points = [location(round_.depot)] + [stop_point(stop) for stop in stops]
    distance, duration = travel_matrices(points)
    spans = [stop_spans(stop, round_.date) for stop in stops]
    # Leave in time to be at the first door as it opens, not before the shift starts.
    start = max(start, (spans[0][0][0] if spans[0] else 0) - duration[0][1])
    clock, here, metres = start, 0, 0
    for node, stop in enumerate(stops, start=1):
        metres += distance[here][node]
        arrival = _earliest(clock + duration[here][node], spans[node - 1])
        stop.arrival_at = at(round_.date, arrival)
        clock, here = arrival + stop_service(stop), node
    metres += distance[here][0]
    round_.start_at = at(round_.date, start)
    round_.end_at = at(round_.date, clock + duration[here][0])
    round_.distance_m = metres


def _refuse_move(stop: Stop, source: Round, target: Round, run: PlanningRun, *, live: bool) -> None:
    """Why the stop may not go onto `target`: on a draft, any rule below; on a day under way (`live`), a stop not
    yet visited still moves, within its own round wherever its van is, onto another round only from a van still
    at the depot to another still there."""
    if stop.outcome != Stop.Outcome.PENDING:
        raise ValidationError(
            _("This stop was already recorded as “%(outcome)s”; it cannot be moved.")
            % {"outcome": stop.get_outcome_display()},
            code="stop_already_recorded",
        )
    if stop.order.status == DeliveryOrder.Status.OUT_FOR_DELIVERY and target.pk != source.pk:
        raise ValidationError(
            _("This stop's packs are on a van that has left the depot: it can change place only on its own round."),
            code="stop_van_left",
        )
    if target.date != source.date:
        raise ValidationError(
            _("That round is on %(date)s and this stop on %(day)s: a stop moves only between rounds of its day.")
            % {"date": _day(target.date), "day": _day(source.date)},
            code="round_other_day",
        )
    if target.run_id != source.run_id:
        raise ValidationError(
            _("That round belongs to another plan of the day: reload the board and try again."), code="round_other_plan"
        )
    if run.published_at is not None and not live:
        raise ValidationError(_("This plan is published: unpublish it before moving stops."), code="plan_published")
    if target.depot_id != stop.order.warehouse_id:
        raise ValidationError(
            _("The order's packs are at %(warehouse)s, but that van leaves from %(depot)s.")
            % {"warehouse": stop.order.warehouse.name, "depot": target.depot.name},
            code="depot_mismatch",
        )
    if target.pk != source.pk and started_stops(target.date).filter(round=target).exists():
        raise ValidationError(
            _("That van has already left the depot; nothing can be added to its round."), code="round_van_left"
        )


@transaction.atomic
def stop_move(*, actor, stop: Stop, to_round: Round, position: int) -> list[str]:
    """Put the stop at `position` (from 1) on `to_round` (its own round: a new place in the order), re-time the
    rounds touched and return what they now break, in words. Nothing is changed when the move is refused."""
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValidationError(_("The new position must be a whole number."), code="position_not_whole")
    # The run's row first: publishing locks it too, so a plan is never published half moved.
    run_id = Stop.objects.filter(pk=stop.pk).values_list("round__run", flat=True).get()
    run = PlanningRun.objects.select_for_update().get(pk=run_id)
    stop = (
        Stop.objects.select_for_update(of=("self", "order")).select_related("round", "order__warehouse").get(pk=stop.pk)
    )
    locked_rounds = Round.objects.select_for_update().filter(pk__in={stop.round_id, to_round.pk}).order_by("pk")
    rounds = {r.pk: r for r in locked_rounds}
    if to_round.pk not in rounds:
        raise ValidationError(_("That round no longer exists: reload the board and try again."), code="round_missing")
    source, target = rounds[stop.round_id], rounds[to_round.pk]
    # A published plan is unpublished before its stops move, until a van has left: then it cannot be, and the stops
    # not yet visited move live, their households told of a window that moved (routing.eta).
    live = run.published_at is not None and started_stops(source.date).exists()
    _refuse_move(stop, source, target, run, live=live)

    touched = _with_stops(Round.objects.filter(pk__in=list(rounds)))
    by_pk = {r.pk: r for r in touched}
    moving = next(s for s in by_pk[source.pk].stops.all() if s.pk == stop.pk)
    # A medication order's pickup and delivery ride one van: moved to another round, the partner goes along,
    # the pickup just before its delivery; within a round the pickup must stay first.
    partner = next(
        (s for s in by_pk[source.pk].stops.all() if s.order_id == stop.order_id and s.kind != stop.kind), None
    )
    along = partner if partner is not None and target.pk != source.pk else None
    if along is not None and along.outcome != Stop.Outcome.PENDING:
        raise ValidationError(
            _("This van has already been to the pharmacy for this order: its delivery stays on this round."),
            code="pickup_already_recorded",
        )
    if along is not None:
        _refuse_move(along, source, target, run, live=live)
    leaving = {stop.pk} | ({along.pk} if along is not None else set())
    orders = {r.pk: [s for s in r.stops.all() if s.pk not in leaving] for r in touched}
    last = len(orders[target.pk]) + 1
    if not 1 <= position <= last:
        raise ValidationError(
            _("Position %(position)s does not exist on that round: choose from 1 to %(last)s.")
            % {"position": position, "last": last},
            code="position_out_of_range",
        )
    orders[target.pk].insert(position - 1, moving)
    if along is not None:
        orders[target.pk].insert(position - (1 if along.kind == Stop.Kind.PICKUP else 0), along)
    _refuse_delivery_before_pickup(orders[target.pk])
    _refuse_before_visited(orders[target.pk], moving)

    shifts = rounds_shifts(source.date, touched)
    Stop.objects.filter(round__in=touched).update(sequence=F("sequence") + RESEQUENCE_OFFSET)
    changed = []
    for round_ in touched:
        for sequence, each in enumerate(orders[round_.pk], start=1):
            each.round, each.sequence = round_, sequence
            changed.append(each)
        _retime(round_, orders[round_.pk], shifts[round_.pk])
        round_.save(update_fields=["start_at", "end_at", "distance_m"])
    Stop.objects.bulk_update(changed, ["round", "sequence", "arrival_at"])
    run.total_distance_m = sum(run.rounds.values_list("distance_m", flat=True))
    run.save(update_fields=["total_distance_m"])
    logger.info("%s moved stop %s (order %s) to round %s at %s", actor, stop.pk, stop.order_id, target.pk, position)
    if live:
        from routing.eta import rounds_retell  # routing.eta times rounds with this module's helpers

        rounds_retell(round_ids=sorted(rounds))

    warnings = []
    for round_ in sorted(_with_stops(Round.objects.filter(pk__in=list(rounds))), key=lambda r: r.pk != target.pk):
        warnings += [
            _("%(vehicle)s: %(warning)s") % {"vehicle": round_.vehicle.name, "warning": warning}
            for warning in _warnings(round_, shifts[round_.pk], _sizes([round_]))
        ]
    return warnings


def _refuse_before_visited(stops: list[Stop], moving: Stop) -> None:
    """A stop not yet visited goes after the round's visited stops: the van cannot go back in time to it."""
    place = stops.index(moving)
    visited = [index for index, each in enumerate(stops) if each.outcome != Stop.Outcome.PENDING]
    if visited and visited[-1] > place:
        raise ValidationError(
            _("Stops up to number %(last)s of that round are already visited: put this stop from number %(first)s on.")
            % {"last": visited[-1], "first": visited[-1] + 1},
            code="position_before_visited",
        )


def _refuse_delivery_before_pickup(stops: list[Stop]) -> None:
    seen_deliveries = set()
    for each in stops:
        if each.kind == Stop.Kind.DELIVERY:
            seen_deliveries.add(each.order_id)
        elif each.order_id in seen_deliveries:
            raise ValidationError(
                _("The medication is collected at %(pharmacy)s before it is taken home: keep the pickup first.")
                % {"pharmacy": each.order.plan.pharmacy.name},
                code="delivery_before_pickup",
            )


@transaction.atomic
def stop_lock(*, actor, stop: Stop, locked: bool) -> Stop:
    """Lock the stop to its round and place for the next re-optimisation, or free it again."""
    if not isinstance(locked, bool):
        raise ValidationError(_("Say whether the stop is locked or not."), code="locked_not_boolean")
    stop = Stop.objects.select_for_update().get(pk=stop.pk)
    stop.locked = locked
    stop.save(update_fields=["locked"])
    logger.info("%s %s stop %s", actor, "locked" if locked else "unlocked", stop.pk)
    return stop


# --- Publishing -----------------------------------------------------------------------------------------------


def plan_publish(run: PlanningRun, *, actor, already_told: Collection[int] = ()) -> None:
    """Publish a stored plan (call inside its transaction): orders planned, households told their time, each
    driver e-mailed once the transaction commits. Households in `already_told` are not told again."""
    # The household is told when the van comes to its door, never when it stops at the pharmacy.
    stops = list(
        Stop.objects.filter(round__run=run, kind=Stop.Kind.DELIVERY, order__status=DeliveryOrder.Status.RESERVED)
        .select_related("order__plan__request__household", "order__household")
        .order_by("round", "sequence")
    )
    orders_move(
        DeliveryOrder.objects.filter(pk__in=[stop.order_id for stop in stops]),
        current=DeliveryOrder.Status.RESERVED,
        to=DeliveryOrder.Status.PLANNED,
    )
    told = []
    for stop in stops:
        if stop.order_id in already_told:
            continue
        order = stop.order
        # The window the route sheet and the driver's page show, so household and driver expect the same.
        start, end = (t.replace(second=0, microsecond=0) for t in arrival_window(order, stop.arrival_at))
        day = timezone.localdate(stop.arrival_at)
        # Publishing again (after taking the plan back) tells a household only when its day or window changed.
        if (order.told_date, order.told_start, order.told_end) == (day, start, end):
            continue
        notification_create(
            request=order.plan.request,
            event=Notification.Event.SCHEDULED,
            date=day_text(stop.arrival_at),
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )
        order.told_date, order.told_start, order.told_end = day, start, end
        told.append(order)
    DeliveryOrder.objects.bulk_update(told, ["told_date", "told_start", "told_end"])
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    mails = _driver_mails(run)
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=False), robust=True)


def _driver_mails(run: PlanningRun) -> list[tuple[str, str, None, list[str]]]:
    """One short message per round with a driver who has an e-mail address, in the site's language."""
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('driver_round')}"
    mails = []
    rounds = run.rounds.select_related("vehicle", "driver", "depot").prefetch_related("stops").order_by("pk")
    with translation.override(settings.LANGUAGE_CODE):
        for round_ in rounds:
            if round_.driver is None or not round_.driver.email:
                continue
            count = len(round_.stops.all())
            values = {
                "date": date_format(round_.date, "DATE_FORMAT"),
                "vehicle": f"{round_.vehicle.name} ({round_.vehicle.plate})",
                "depot": round_.depot.name,
                "start": _clock(round_.start_at),
                "stops": count,
                "link": link,
            }
            subject = _("Reparto: your round on %(date)s") % values
            body = (
                ngettext(
                    "%(date)s: %(vehicle)s leaves %(depot)s at %(start)s with %(stops)s stop.\n\n"
                    "Your round, stop by stop: %(link)s",
                    "%(date)s: %(vehicle)s leaves %(depot)s at %(start)s with %(stops)s stops.\n\n"
                    "Your round, stop by stop: %(link)s",
                    count,
                )
                % values
            )
            mails.append((subject, body, None, [round_.driver.email]))
    return mails


def _refuse_publish(run: PlanningRun) -> None:
    if run.status != PlanningRun.Status.DONE:
        raise ValidationError(
            _("Only a finished plan can be published; this one is “%(status)s”.")
            % {"status": run.get_status_display()},
            code="plan_not_finished",
        )
    if run.published_at is not None:
        raise ValidationError(_("This plan is already published."), code="plan_already_published")
    if run.date < timezone.localdate():
        raise ValidationError(
            _("%(date)s is in the past: its plan can no longer be published.") % {"date": _day(run.date)},
            code="plan_day_past",
        )
    if run_current(run.date) != run:
        raise ValidationError(
            _("A newer plan for %(date)s replaced this one: publish that one instead.") % {"date": _day(run.date)},
            code="plan_replaced",
        )
    if PlanningRun.objects.unfinished().filter(date=run.date, created_at__gt=run.created_at).exists():
        raise ValidationError(
            _("%(date)s is being planned again: wait for that plan, or cancel it, before publishing.")
            % {"date": _day(run.date)},
            code="plan_being_replanned",
        )


def run_publish(*, actor, run: PlanningRun) -> PlanningRun:
    """Publish the day's latest plan: its orders planned, households told their time, drivers e-mailed, the
    manifests written."""
    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().get(pk=run.pk)
        _refuse_publish(run)
        plan_publish(run, actor=actor)
    from delivery.manifests import manifests_write

    manifests_write(run=run)
    return run


@transaction.atomic
def run_unpublish(*, actor, run: PlanningRun) -> PlanningRun:
    """Take a published plan back to a draft while no van has left: orders reserved again, drivers see nothing."""
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.published_at is None:
        raise ValidationError(
            _("This plan is not published; there is nothing to take back."), code="plan_not_published"
        )
    if started_stops(run.date).exists():
        raise ValidationError(
            _("A round of %(date)s has left the depot or recorded deliveries: the plan can no longer be taken back.")
            % {"date": _day(run.date)},
            code="plan_day_started",
        )
    orders_move(
        DeliveryOrder.objects.filter(stops__round__run=run),
        current=DeliveryOrder.Status.PLANNED,
        to=DeliveryOrder.Status.RESERVED,
    )
    run.published_at = None
    run.published_by = None
    run.save(update_fields=["published_at", "published_by"])
    logger.info("%s unpublished planning run %s", actor, run.pk)
    return run
