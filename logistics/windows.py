"""An order's delivery window: the one place it is worked out.

The window an order is planned in (`order_window`, stored on the order when it is made and given to the solver
by `routing.adapter`) and the window the household is told, the route sheet prints and the driver's page shows
(`arrival_window`) come from here, so the three never disagree: a household that asked for 06:00–22:00 is
planned, told and printed 08:00–20:00."""

import datetime as dt

from django.utils import timezone

from logistics.models import DeliveryOrder

# Vans do not knock on doors before 08:00 or after 20:00, whatever the household asked for.
DAY_START = dt.time(8, 0)
DAY_END = dt.time(20, 0)
# A narrower window than this cannot be promised on a round of twenty stops.
NARROWEST = dt.timedelta(hours=1)
# Planned arrival ± this is the window given when the household gave no hours of its own.
ARRIVAL_MARGIN = dt.timedelta(minutes=30)


def _default_window() -> tuple[dt.time, dt.time]:
    # The model's defaults are the one place the usual window is written down.
    return (
        DeliveryOrder._meta.get_field("window_start").default,
        DeliveryOrder._meta.get_field("window_end").default,
    )


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def order_window(household) -> tuple[dt.time, dt.time]:
    """The household's preferred hours cut to 08:00–20:00; the usual window when they leave less than an hour."""
    start, end = household.preferred_from, household.preferred_until
    if start is None and end is None:
        return _default_window()
    # Only one end given ("after 17:00"): the day's limit is the other end.
    start = max(start or DAY_START, DAY_START)
    end = min(end or DAY_END, DAY_END)
    if _minutes(end) - _minutes(start) < NARROWEST.total_seconds() // 60:
        return _default_window()
    return start, end


def arrival_window(order: DeliveryOrder, arrival_at: dt.datetime) -> tuple[dt.time, dt.time]:
    """When the household should expect the van: the order's planned window on each side the household gave hours
    for, the planned arrival ± ARRIVAL_MARGIN on the others; the margin alone if that leaves an empty window.

    The planned window is the order's own (`order_window` when it was made), never the household's raw hours, so
    what the household is told is what the solver planned."""
    arrival = timezone.localtime(arrival_at)
    start, end = (arrival - ARRIVAL_MARGIN).time(), (arrival + ARRIVAL_MARGIN).time()
    household = order.household
    told = (
        order.window_start if household.preferred_from is not None else start,
        order.window_end if household.preferred_until is not None else end,
    )
    return told if told[0] < told[1] else (start, end)
