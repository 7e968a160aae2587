"""What the planning board shows: one day's readiness, the plan per round with its warnings, and the map.

Read only. A large day has two thousand stops: they are read as plain rows (one query for the stops, one for
their order lines, one for the packs), never as model instances with their orders, households and lines, so the
board costs the same number of queries for six stops or six thousand and builds no object it does not show.

A large day (more than BOARD_OPEN_STOPS stops on the rounds shown) reads still less: each round's head from sums
(its stops, load and visits counted, its late stops found from four columns a stop), its stop table only when the
planner opens it (`board_round`, fetched by board.js) and the map's stops only when board.js asks (`board_map`)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delivery.models import Round, Stop
from inventory.models import Pack, Warehouse
from inventory.selectors import pack_sizes
from logistics.crew import Roster, crews_for
from logistics.depots import short_orders_elsewhere
from logistics.models import DeliveryOrder, DeliveryOrderLine, Vehicle
from logistics.selectors import order_status_counts
from logistics.shortages import orders_shortages
from requests_intake.models import PharmacyHours
from routing.adapter import lines_demand
from routing.board import (
    StopFacts,
    arrives_late,
    late_after,
    pickup_spans,
    rounds_shifts,
    span_used,
    stops_arriving_late,
    summary_warnings,
)
from routing.models import PlanningRun
from routing.reasons import STOCK_SHORT
from routing.selectors import orders_waiting, run_current, run_latest, run_totals

# Told apart at a glance on the map and in the round headers; repeats after ten rounds.
ROUND_COLOURS = [
    "#1f6fb4", "#c0392b", "#1e8449", "#7d3c98", "#d35400",
    "#138d90", "#8e5a2b", "#c2185b", "#566573", "#9a7d0a",
]  # fmt: skip

# Above this many stops the board lists its rounds closed and opens only those asked for: two thousand stop rows
# are megabytes of HTML and seconds of rendering, and nobody reads them at once.
BOARD_OPEN_STOPS = 300

BOARD_STOP_COLUMNS = (
    "pk", "round_id", "sequence", "arrival_at", "outcome", "locked",
    "order__window_start", "order__window_end",
    "order__household__given_name", "order__household__family_name", "order__household__address",
    "order__household__latitude", "order__household__longitude", "order_id",
    "kind", "order__plan__pharmacy_id", "order__plan__pharmacy__name", "order__plan__pharmacy__address",
    "order__plan__pharmacy__latitude", "order__plan__pharmacy__longitude",
    "expected_at", "order__plan__prescription_ref",
)  # fmt: skip
# While the round is under way: when the van is now expected (routing.eta), beside the planned arrival.
EXPECTED_AT = BOARD_STOP_COLUMNS.index("expected_at")
PRESCRIPTION_REF = BOARD_STOP_COLUMNS.index("order__plan__prescription_ref")

# A pickup's outcome in the driver's words (the same msgids as the driver's page): nothing is delivered there.
PICKUP_OUTCOMES = {
    Stop.Outcome.PENDING: gettext_lazy("To pick up"),
    Stop.Outcome.DELIVERED: gettext_lazy("Picked up"),
    Stop.Outcome.FAILED: gettext_lazy("Not picked up"),
}

DELIVERIES = Q(stops__kind=Stop.Kind.DELIVERY)
PICKUPS = Q(stops__kind=Stop.Kind.PICKUP)


@dataclass(frozen=True, slots=True)
class BoardStop:
    """One stop as the board, its map and the round's warnings read it."""

    pk: int
    round_id: int
    sequence: int
    arrival_at: dt.datetime
    outcome: str
    locked: bool
    window_start: dt.time
    window_end: dt.time
    name: str
    address: str
    latitude: object  # Decimal or None
    longitude: object
    packs: tuple[tuple[int, str], ...]  # (quantity, pack name) per order line
    demand: tuple[int, int, int]  # grams, centilitres, packs
    # A pickup at a pharmacy: `name`, `address` and the point are the pharmacy's, the window the opening span it is
    # planned in, no packs and no load (they ride with the delivery); it is late after `late_after`.
    kind: str = Stop.Kind.DELIVERY
    late_after: dt.time | None = None
    expected_at: dt.datetime | None = None  # worked out again while the round is under way (routing.eta)
    # A medication order's two stops told apart from another's: the pickup says for whom and against which
    # prescription (two pickups at one pharmacy look alike otherwise), the delivery where the medication comes from
    # and at which stop of the round it is picked up.
    household: str = ""
    prescription_ref: str = ""
    pharmacy: str = ""
    pickup_sequence: int | None = None

    @property
    def outcome_label(self) -> str:
        if self.is_pickup:
            return str(PICKUP_OUTCOMES[Stop.Outcome(self.outcome)])
        return str(Stop.Outcome(self.outcome).label)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_pickup(self) -> bool:
        return self.kind == Stop.Kind.PICKUP

    @property
    def facts(self) -> StopFacts:
        late = self.window_end if self.late_after is None else self.late_after
        return StopFacts(self.sequence, self.arrival_at, late, self.name, self.demand)


@dataclass(frozen=True, slots=True)
class MapStop:
    """One stop as the map draws it."""

    sequence: int
    arrival_at: dt.datetime
    name: str
    latitude: object  # Decimal or None
    longitude: object
    kind: str = Stop.Kind.DELIVERY

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def pickup_label(pharmacy_name: str) -> str:
    return _("Pharmacy pickup: %(pharmacy)s") % {"pharmacy": pharmacy_name}


def board(date: dt.date, depots: list[Warehouse], *, every_round: bool = False, asked: Collection[int] = ()) -> dict:
    """Everything the board shows for the day and depots (all when none), in a bounded number of queries."""
    depot_ids = {w.pk for w in depots}
    latest = run_latest(date)
    working = latest is not None and not latest.is_finished
    plan = run_current(date)
    rounds = board_rounds(plan, depot_ids, every_round=every_round, asked=asked) if plan else []
    stop_count = sum(row["count"] for row in rounds)
    large = _large(stop_count)
    unplaced = _unplaced(plan, depot_ids) if plan else []
    return {
        "date": date,
        "depots": depots,
        "latest": latest,
        "active": latest if working else None,
        "plan": plan,
        "totals": run_totals(plan) if plan else None,
        "rounds": rounds,
        "stop_count": stop_count,
        "rounds_closed": any(not row["open"] for row in rounds),
        "unplaced": unplaced,
        "waiting": orders_waiting(plan) if plan and rounds else 0,
        # A large day's map is fetched by board.js (board_map): the page then carries no stop it does not list.
        "map_fetched": large,
        "map_data": None if large else _map_data(rounds, unplaced, _depots_shown(depots, rounds)),
        **_readiness(date, depot_ids),
    }


def board_rounds(
    plan: PlanningRun, depot_ids: set[int], *, every_round: bool = False, asked: Collection[int] = ()
) -> list[dict]:
    """The plan's rounds with their colour, head (stops, load, visits) and warnings; a round listed open has its
    stops too. On a small day every round is open; on a large day those asked for (`every_round`: all). Colours
    follow the whole day so they stay put when the board shows fewer depots."""
    # A round's stops, as people count them, are its deliveries: a pharmacy pickup is counted apart.
    every = list(
        plan.rounds.select_related("vehicle", "driver", "depot")
        .annotate(
            stop_count=Count("stops", filter=DELIVERIES),
            pickup_count=Count("stops", filter=PICKUPS),
            visited=Count("stops", filter=DELIVERIES & ~Q(stops__outcome=Stop.Outcome.PENDING)),
        )
        .order_by("vehicle__name")
    )
    colours = round_colours(every)
    shown = [round_ for round_ in every if not depot_ids or round_.depot_id in depot_ids]
    large = _large(sum(round_.stop_count for round_ in shown))
    opened = [round_.pk for round_ in shown if every_round or not large or round_.pk in asked]
    stops = board_stops(opened) if opened else {}
    heads = _heads(stops, closed=[round_ for round_ in shown if round_.pk not in stops])
    shifts = rounds_shifts(plan.date, shown)
    rows = []
    for round_ in shown:
        head = heads[round_.pk]
        rows.append(
            {
                "round": round_,
                "open": round_.pk in stops,
                "stops": stops.get(round_.pk, []),
                "colour": colours[round_.pk],
                "round_break": round_break(round_, stops.get(round_.pk, [])),
                **head.shown(),
                "warnings": summary_warnings(
                    round_, head.late, head.load, has_stops=head.count > 0, shift=shifts[round_.pk]
                ),
            }
        )
    for row in rows:  # where each stop may be moved: the rounds leaving from the same depot
        row["targets"] = [other["round"] for other in rows if other["round"].depot_id == row["round"].depot_id]
    return rows


@dataclass(frozen=True, slots=True)
class RoundHead:
    """What a round's head says and warns of without its stop rows: the same whether read from its loaded stops
    or counted and summed in the database."""

    count: int  # deliveries
    load: tuple[int, int, int]  # grams, centilitres, packs
    visited: int  # deliveries recorded
    late: list[StopFacts]
    pickups: int = 0  # pharmacy pickups, not deliveries

    def shown(self) -> dict:
        return {
            "count": self.count,
            "pickups": self.pickups,
            "load_packs": self.load[2],
            "load_kg": self.load[0] / 1000,
            "visited": self.visited,
        }


def _heads(stops: dict[int, list[BoardStop]], *, closed: list[Round]) -> dict[int, RoundHead]:
    """Each round's head: from its stops when they were loaded, counted and summed in the database for the rest."""
    heads = {
        round_id: RoundHead(
            count=sum(not stop.is_pickup for stop in rows),
            load=tuple(sum(values) for values in zip(*(stop.demand for stop in rows), strict=True)) or (0, 0, 0),
            visited=sum(stop.outcome != Stop.Outcome.PENDING and not stop.is_pickup for stop in rows),
            late=[stop.facts for stop in rows if arrives_late(stop.arrival_at, stop.facts.window_end)],
            pickups=sum(stop.is_pickup for stop in rows),
        )
        for round_id, rows in stops.items()
    }
    if closed:
        heads.update(_heads_summed(closed))
    return heads


def _heads_summed(rounds: list[Round]) -> dict[int, RoundHead]:
    """The heads of rounds whose stops are not listed, without reading their stops one by one: the counts come
    annotated on the rounds (`stop_count`, `visited`), the late stops alone are read, and the load is summed by
    round and pack: two queries and the packs' sizes, whatever the number of stops."""
    round_ids = [round_.pk for round_ in rounds]
    late: dict[int, list[StopFacts]] = defaultdict(list)
    for round_id, sequence, arrival_at, window_end, given, family in (
        Stop.objects.filter(stops_arriving_late(), round__in=round_ids, kind=Stop.Kind.DELIVERY)
        .order_by("round_id", "sequence")
        .values_list(
            "round_id",
            "sequence",
            "arrival_at",
            "order__window_end",
            "order__household__given_name",
            "order__household__family_name",
        )
    ):
        late[round_id].append(StopFacts(sequence, arrival_at, window_end, _full_name(given, family), (0, 0, 0)))
    # Pickups are few (medication orders): read one by one against their pharmacy's hours, in driving order.
    for facts_round, facts in _late_pickups(round_ids):
        late[facts_round].append(facts)
    for facts in late.values():
        facts.sort(key=lambda stop: stop.sequence)
    packs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for round_id, pack_id, quantity in (
        Stop.objects.filter(round__in=round_ids, kind=Stop.Kind.DELIVERY, order__lines__isnull=False)
        .values_list("round_id", "order__lines__pack")
        .annotate(quantity=Sum("order__lines__quantity"))
        .order_by()
    ):
        packs[round_id].append((pack_id, quantity))
    sizes = pack_sizes(
        Pack.objects.filter(pk__in={pack_id for rows in packs.values() for pack_id, _q in rows}).prefetch_related(
            "components__item"
        )
    )
    return {
        round_.pk: RoundHead(
            count=round_.stop_count,
            load=lines_demand(packs[round_.pk], sizes),
            visited=round_.visited,
            late=late[round_.pk],
            pickups=round_.pickup_count,
        )
        for round_ in rounds
    }


def _pharmacy_hours(pharmacy_ids: Collection[int]) -> dict[tuple[int, int], list[tuple[dt.time, dt.time]]]:
    """Opening spans by (pharmacy id, weekday), in one query."""
    hours: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
    rows = PharmacyHours.objects.filter(pharmacy__in=set(pharmacy_ids)).order_by("opens")
    for pharmacy_id, weekday, opens, closes in rows.values_list("pharmacy", "weekday", "opens", "closes"):
        hours[pharmacy_id, weekday].append((opens, closes))
    return hours


def _late_pickups(round_ids: list[int]) -> list[tuple[int, StopFacts]]:
    rows = list(
        Stop.objects.filter(round__in=round_ids, kind=Stop.Kind.PICKUP).values_list(
            "round_id", "sequence", "arrival_at", "order__plan__pharmacy_id", "order__plan__pharmacy__name"
        )
    )
    hours = _pharmacy_hours({row[3] for row in rows})
    late = []
    for round_id, sequence, arrival_at, pharmacy_id, name in rows:
        weekday = timezone.localtime(arrival_at).weekday()
        closes = late_after(pickup_spans(hours[pharmacy_id, weekday]))
        if arrives_late(arrival_at, closes):
            late.append((round_id, StopFacts(sequence, arrival_at, closes, pickup_label(name), (0, 0, 0))))
    return late


def _large(stop_count: int) -> bool:
    """The one rule for a large day: its rounds listed closed, their heads summed, its map fetched apart."""
    return stop_count > BOARD_OPEN_STOPS


def round_colours(rounds: list[Round]) -> dict[int, str]:
    return {round_.pk: ROUND_COLOURS[index % len(ROUND_COLOURS)] for index, round_ in enumerate(rounds)}


def _full_name(given: str, family: str) -> str:
    return f"{given} {family}".strip()  # as Household.full_name


def board_round(pk: int) -> dict | None:
    """One round of its day's current plan with its stops and the rounds they may move to, as the board lists an
    open round; None when there is no such round or it belongs to a plan the board no longer shows."""
    round_ = Round.objects.select_related("vehicle", "driver", "depot").filter(pk=pk).first()
    if round_ is None:
        return None
    plan = run_current(round_.date)
    if plan is None or plan.pk != round_.run_id:
        return None
    targets = list(
        Round.objects.filter(run=plan, depot=round_.depot_id).select_related("vehicle").order_by("vehicle__name")
    )
    stops = board_stops([round_.pk])[round_.pk]
    return {
        "round": round_,
        "plan": plan,
        "stops": stops,
        "targets": targets,
        "round_break": round_break(round_, stops),
    }


def round_break(round_: Round, stops: list[BoardStop]) -> dict | None:
    """The round's planned break as the board shows it: when it starts and ends, and the stop it comes before
    (`before`: None after the last stop, as the route sheet counts the stops reached before it). None without one.
    The round comes with its depot (whose pause it is), so this reads nothing."""
    if round_.break_at is None:
        return None
    before = next((stop.sequence for stop in stops if stop.arrival_at >= round_.break_at), None)
    return {
        "start": round_.break_at,
        "end": round_.break_at + dt.timedelta(minutes=round_.depot.break_minutes),
        "before": before,
    }


def board_map(date: dt.date, depots: list[Warehouse]) -> dict:
    """What board.js draws for a large day, asked for apart from the page: the same data as a small day's board
    carries inline, with each stop read as the map needs it (no lines, no packs)."""
    depot_ids = {w.pk for w in depots}
    plan = run_current(date)
    if plan is None:
        return _map_data([], [], _depots_shown(depots, []))
    every = list(plan.rounds.select_related("vehicle", "depot").order_by("vehicle__name"))
    colours = round_colours(every)
    shown = [round_ for round_ in every if not depot_ids or round_.depot_id in depot_ids]
    stops: dict[int, list[MapStop]] = {round_.pk: [] for round_ in shown}
    for round_id, sequence, arrival_at, given, family, latitude, longitude, kind, pharmacy, p_lat, p_lon in (
        Stop.objects.filter(round__in=list(stops))
        .order_by("round_id", "sequence")
        .values_list(
            "round_id",
            "sequence",
            "arrival_at",
            "order__household__given_name",
            "order__household__family_name",
            "order__household__latitude",
            "order__household__longitude",
            "kind",
            "order__plan__pharmacy__name",
            "order__plan__pharmacy__latitude",
            "order__plan__pharmacy__longitude",
        )
    ):
        if kind == Stop.Kind.PICKUP:  # drawn where the van stops: at the pharmacy
            stops[round_id].append(MapStop(sequence, arrival_at, pickup_label(pharmacy), p_lat, p_lon, kind))
        else:
            stops[round_id].append(MapStop(sequence, arrival_at, _full_name(given, family), latitude, longitude))
    rows = [{"round": r, "colour": colours[r.pk], "stops": stops[r.pk]} for r in shown]
    return _map_data(rows, _unplaced(plan, depot_ids), _depots_shown(depots, rows))


def board_stops(round_ids: list[int]) -> dict[int, list[BoardStop]]:
    """The rounds' stops in order, by round id, in three queries whatever their number."""
    stops = Stop.objects.filter(round__in=round_ids)
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for order_id, pack_id, quantity in (
        DeliveryOrderLine.objects.filter(order__in=stops.values("order"))
        .order_by("pk")
        .values_list("order_id", "pack_id", "quantity")
    ):
        lines[order_id].append((pack_id, quantity))
    # A day has a handful of packs: their names and sizes are read once, not once per line.
    packs = list(
        Pack.objects.filter(pk__in={pack_id for order in lines.values() for pack_id, _q in order})
        .only("name")
        .prefetch_related("components__item")
    )
    names = {pack.pk: pack.name for pack in packs}
    sizes = pack_sizes(packs)
    by_round: dict[int, list[BoardStop]] = {round_id: [] for round_id in round_ids}
    rows = list(stops.order_by("round_id", "sequence").values_list(*BOARD_STOP_COLUMNS))
    hours = _pharmacy_hours({row[15] for row in rows if row[14] == Stop.Kind.PICKUP})
    picked_at: dict[tuple[int, int], int] = {}  # (round, order): the pickup's number, listed before its delivery
    for row in rows:
        if row[14] == Stop.Kind.PICKUP:
            by_round[row[1]].append(_pickup_row(row, hours))
            picked_at[row[1], row[13]] = row[2]
            continue
        pk, round_id, sequence, arrival_at, outcome, locked, start, end, given, family, address = row[:11]
        lat, lon, order = row[11:14]
        order_lines = lines.get(order, [])
        by_round[round_id].append(
            BoardStop(
                pk=pk,
                round_id=round_id,
                sequence=sequence,
                arrival_at=arrival_at,
                outcome=outcome,
                locked=locked,
                window_start=start,
                window_end=end,
                name=_full_name(given, family),
                address=address,
                latitude=lat,
                longitude=lon,
                packs=tuple((quantity, names[pack_id]) for pack_id, quantity in order_lines),
                demand=lines_demand(order_lines, sizes),
                expected_at=row[EXPECTED_AT],
                pharmacy=row[16] or "",
                pickup_sequence=picked_at.get((round_id, order)),
            )
        )
    return by_round


def _pickup_row(row: tuple, hours) -> BoardStop:
    """A pickup as the board lists it: at the pharmacy, in the opening span it is planned in, carrying nothing."""
    pk, round_id, sequence, arrival_at, outcome, locked = row[:6]
    _kind, pharmacy_id, name, address, latitude, longitude = row[14:EXPECTED_AT]
    arrival = timezone.localtime(arrival_at)
    spans = hours[pharmacy_id, arrival.weekday()]
    span = span_used(arrival.time(), spans) or (dt.time(0), dt.time(0))
    return BoardStop(
        pk=pk,
        round_id=round_id,
        sequence=sequence,
        arrival_at=arrival_at,
        outcome=outcome,
        locked=locked,
        window_start=span[0],
        window_end=span[1],
        name=pickup_label(name),
        address=address,
        latitude=latitude,
        longitude=longitude,
        packs=(),
        demand=(0, 0, 0),
        kind=Stop.Kind.PICKUP,
        late_after=late_after(pickup_spans(spans)),
        expected_at=row[EXPECTED_AT],
        household=_full_name(row[8], row[9]),
        prescription_ref=row[PRESCRIPTION_REF] or "",
        pharmacy=name or "",
    )


def _unplaced(plan: PlanningRun, depot_ids: set[int]):
    unplaced = plan.unplaced.select_related("order__household", "order__warehouse").order_by("order__priority", "pk")
    rows = list(unplaced.filter(order__warehouse__in=depot_ids) if depot_ids else unplaced)
    # The list says how things stand now, not at planning: an order fitted in since, delivered or called off is gone,
    # and one left out for stock whose stock came in says so.
    gone = set(
        Stop.objects.filter(order__in=[u.order_id for u in rows], outcome=Stop.Outcome.PENDING).values_list(
            "order", flat=True
        )
    )
    finished = {DeliveryOrder.Status.DELIVERED, DeliveryOrder.Status.CANCELLED}
    rows = [u for u in rows if u.order_id not in gone and u.order.status not in finished]
    for u in rows:
        stock_came = u.reason == STOCK_SHORT and u.order.status == DeliveryOrder.Status.RESERVED
        u.reason_now = _("Its stock is reserved now: it can go onto a round.") if stock_came else u.explanation
    # An order short at its depot may be whole at another: the board offers a transfer or serving it from there.
    short = [u.order for u in rows if u.reason == STOCK_SHORT and u.order.status == DeliveryOrder.Status.SHORT]
    if short:
        prefetch_related_objects(short, "lines__pack__components")
    elsewhere = short_orders_elsewhere(short)
    lacking = orders_shortages(short, on=plan.date)
    for u in rows:
        u.elsewhere = elsewhere.get(u.order_id, [])
        u.shortages = lacking.get(u.order_id, [])
    return rows


def _depots_shown(depots: list[Warehouse], rounds: list[dict]) -> list[Warehouse]:
    if depots:
        return depots
    shown = {row["round"].depot for row in rounds}
    shown.update(Warehouse.objects.filter(pk__in=Vehicle.objects.in_service().values("depot")))
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
        round_: Round = row["round"]
        data["rounds"].append(
            {
                "id": round_.pk,
                "name": round_.vehicle.name,
                "colour": row["colour"],
                "depot": _point(round_.depot.latitude, round_.depot.longitude),
                "stops": [
                    {
                        "sequence": stop.sequence,
                        "point": _point(stop.latitude, stop.longitude),
                        "label": f"{round_.vehicle.name} · {stop.sequence}. {stop.name} · "
                        f"{stop.arrival_at.astimezone(here):%H:%M}",
                    }
                    for stop in row["stops"]
                    if stop.has_location
                ],
            }
        )
    for left in unplaced:
        household = left.order.household
        if household.has_location:
            data["left_out"].append(
                {
                    "point": _point(household.latitude, household.longitude),
                    "label": f"{household.full_name}: {left.reason_now}",
                }
            )
    data["has_points"] = bool(data["depots"] or data["left_out"] or any(r["stops"] for r in data["rounds"]))
    return data


def _readiness(date: dt.date, depot_ids: set[int]) -> dict:
    """Today's readiness: the due orders by status, those without their stock, the vans and who drives them."""
    not_ready = DeliveryOrder.objects.filter(
        due_date__lte=date, status__in=[DeliveryOrder.Status.SHORT, DeliveryOrder.Status.PENDING]
    )
    if depot_ids:
        not_ready = not_ready.filter(warehouse__in=depot_ids)
    # The same counters as the orders page: every status, and their total.
    counts = order_status_counts(date, depot_ids)
    not_ready = not_ready.select_related("household", "warehouse").prefetch_related("lines__pack__components")

    # Pairs are made over the whole fleet, as planning does, and only then narrowed to the depots shown.
    available = list(Vehicle.objects.in_service().select_related("depot", "driver").order_by("pk"))
    roster = Roster(date, date)
    day = crews_for(date, available, roster)
    people = sorted(roster.people.values(), key=lambda p: (p.first_name, p.last_name, p.username))
    hours = roster.hours(date)
    driving = {crew.driver.pk: crew.vehicle for crew in day.crews if crew.driver}
    staying = [(van, _staying_home_reason(van, hours)) for van in day.stay_home]
    staying += [
        (van, _("Marked unavailable."))
        for van in Vehicle.objects.out_of_service().select_related("depot", "driver").order_by("name")
    ]
    return {
        "counts": counts,
        "not_ready": _with_shortages(list(not_ready.order_by("due_date", "priority", "pk")), date),
        "crews": [c for c in day.crews if not depot_ids or c.vehicle.depot_id in depot_ids],
        "staying_home": [(van, why) for van, why in staying if not depot_ids or van.depot_id in depot_ids],
        "drivers_working": [(p, hours[p.pk], driving.get(p.pk)) for p in people if p.pk in hours],
    }


def _with_shortages(orders: list[DeliveryOrder], date: dt.date) -> list[DeliveryOrder]:
    """Each order with the items it lacks (`order.shortages`), so the planner knows what to buy or to send now."""
    lacking = orders_shortages(orders, on=date)
    for order in orders:
        order.shortages = lacking[order.pk]
    return orders


def _staying_home_reason(van: Vehicle, hours: dict) -> str:
    if van.driver_id and van.driver_id not in hours:
        name = van.driver.get_full_name() or van.driver.username
        return _("%(driver)s is off that day and no other driver is free.") % {"driver": name}
    return _("Its driver that day works other hours than the van's shift.")
