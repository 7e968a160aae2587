"""The week's flexible orders from the database to logistics.week and back: which orders may move, to which days
(logistics.calendar), what a van does in a day (the vans in service), and the days chosen written on the orders."""

import datetime as dt
import logging
import math
import zlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.calendar import RECURRING_TOLERANCE_DAYS, allowed_days
from logistics.models import DeliveryOrder, Vehicle
from logistics.week import Fleet, WeekOrder, assign_days

logger = logging.getLogger(__name__)

S = DeliveryOrder.Status
# Orders not yet on a round: their day may still change. A planned order keeps its round (logistics.changes).
MOVABLE = (S.PENDING, S.SHORT, S.RESERVED, S.RESCHEDULED)
# A van drives this fast between depot and zone, on roads this much longer than the straight line.
SPEED_KMH = 25
ROAD_FACTOR = 1.35
HOP_S = 180  # from one door to the next in the same zone


@dataclass
class WeekAssignment:
    days: dict[dt.date, list[DeliveryOrder]]
    left_out: list[tuple[DeliveryOrder, str]]
    moved: int


def reference(order: DeliveryOrder) -> str:
    return f"{order.plan.request.reference}/{order.pk}"


def _window(order: DeliveryOrder, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    # A reschedule after a failed visit is not brought forward: its date is already the first one allowed.
    before = 0 if order.status == S.RESCHEDULED else order.flex_days
    return max(first, order.due_date - dt.timedelta(days=before)), min(
        last, order.due_date + dt.timedelta(days=order.flex_days)
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h)) * ROAD_FACTOR


def week_fleet(orders: list[DeliveryOrder]) -> Fleet:
    """What a van does in a day, from the vans in service, and each zone's drive out and back from its depot."""
    vans = Vehicle.objects.in_service().aggregate(packs=Avg("capacity_packs"))
    shifts = [
        (v.shift_end.hour * 60 + v.shift_end.minute - v.shift_start.hour * 60 - v.shift_start.minute) * 60
        for v in Vehicle.objects.in_service().only("shift_start", "shift_end")
    ]
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    depots: dict[int, tuple[float, float]] = {}
    for order in orders:
        household, depot = order.household, order.warehouse
        if household.latitude is not None and depot.latitude is not None:
            points[_zone(order)].append((float(household.latitude), float(household.longitude)))
            depots[_zone(order)] = (float(depot.latitude), float(depot.longitude))
    reach = {}
    for zone, spots in points.items():
        centre = (sum(p[0] for p in spots) / len(spots), sum(p[1] for p in spots) / len(spots))
        reach[zone] = int(2 * _km(centre, depots[zone]) / SPEED_KMH * 3600)
    return Fleet(
        capacity_packs=int(vans["packs"] or 80),
        shift_s=int(sum(shifts) / len(shifts)) if shifts else 5 * 3600,
        stop_s=settings.ROUTING_SERVICE_TIME_S + HOP_S,
        reach_s=reach,
    )


def _zone(order: DeliveryOrder) -> int:
    # Households without a zone are grouped by postcode: the same streets, reached by the same drive.
    household = order.household
    return household.zone_id if household.zone_id is not None else -zlib.crc32(household.postcode.encode())


@transaction.atomic
def orders_assign_week(*, actor, start: dt.date, days: int) -> WeekAssignment:
    """Give each movable order due around the week a day it allows, keeping zones together and vans few; write
    the chosen days on the orders (kept in their history). Orders no day allows are left out with a reason."""
    first = max(start, timezone.localdate())
    last = start + dt.timedelta(days=days - 1)
    slack = dt.timedelta(days=RECURRING_TOLERANCE_DAYS)
    candidates = list(
        DeliveryOrder.objects.select_for_update(of=("self",))
        .filter(status__in=MOVABLE, due_date__range=(first - slack, last + slack))
        .exclude(mode=DeliveryOrder.Mode.PICKUP)
        .select_related("household", "warehouse", "plan__request")
        .prefetch_related("lines")
        .order_by("pk")
    )
    week_orders, by_reference, left_out = [], {}, []
    for order in candidates:
        low, high = _window(order, first, last)
        if order.due_date - dt.timedelta(days=order.flex_days) > last or high < low:
            continue  # its days are all outside this week
        allowed = tuple(allowed_days(order, low, high))
        if not allowed:
            left_out.append((order, _("no day of the week is allowed (holiday, zone not served, household away)")))
            continue
        packs = sum(line.quantity for line in order.lines.all())
        ref = reference(order)
        by_reference[ref] = order
        week_orders.append(WeekOrder(ref, order.warehouse_id, _zone(order), packs, allowed))
    chosen = assign_days(week_orders, week_fleet(list(by_reference.values())))
    result: dict[dt.date, list[DeliveryOrder]] = defaultdict(list)
    moved = 0
    for ref, day in chosen.items():
        order = by_reference[ref]
        if order.due_date != day:
            order.due_date = day
            order._change_reason = "week plan"
            order.save(update_fields=["due_date"])
            moved += 1
        result[day].append(order)
    logger.info("%s assigned %s orders over %s days from %s; %s moved", actor, len(chosen), days, start, moved)
    return WeekAssignment(dict(sorted(result.items())), left_out, moved)
