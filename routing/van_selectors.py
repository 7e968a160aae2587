"""Where the vans of the day's rounds under way are, for the board's map: the latest fix each driver's phone shared
(delivery.positions), on the rounds and depots the board shows."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.positions import latest_positions, rounds_under_way
from inventory.models import Warehouse
from routing.board_selectors import round_colours
from routing.selectors import run_current

# A fix older than this is shown as such: the phone lost its signal, or the driver stopped sharing.
STALE_AFTER = dt.timedelta(minutes=10)


def board_vans(date: dt.date, depots: list[Warehouse], *, now: dt.datetime | None = None) -> dict:
    """Each round of the day's plan under way on the depots shown (all when none) whose van shared a position: its
    van, colour, latest point and time of fix, and whether that fix is stale. Three queries whatever the fleet."""
    now = now or timezone.now()
    plan = run_current(date)
    if plan is None or plan.published_at is None:
        return {"vans": []}
    every = list(plan.rounds.select_related("vehicle").order_by("vehicle__name"))
    colours = round_colours(every)  # the board's own colours, so a van looks like its round
    depot_ids = {w.pk for w in depots}
    moving = set(rounds_under_way(timezone.localdate()).filter(run=plan).values_list("pk", flat=True))
    shown = [r for r in every if r.pk in moving and (not depot_ids or r.depot_id in depot_ids)]
    positions = latest_positions([r.pk for r in shown])
    vans = []
    for round_ in shown:
        position = positions.get(round_.pk)
        if position is None:
            continue
        stale = now - position.recorded_at > STALE_AFTER
        facts = {"van": round_.vehicle.name, "time": timezone.localtime(position.recorded_at).strftime("%H:%M")}
        if stale:
            label = _("%(van)s: last position at %(time)s, more than 10 minutes ago") % facts
        else:
            label = _("%(van)s at %(time)s") % facts
        vans.append(
            {
                "round": round_.pk,
                "name": round_.vehicle.name,
                "colour": colours[round_.pk],
                "point": [float(position.latitude), float(position.longitude)],
                "recorded_at": position.recorded_at.isoformat(),
                "time": facts["time"],
                "accuracy_m": position.accuracy_m,
                "stale": stale,
                "label": label,
            }
        )
    return {"vans": vans}
