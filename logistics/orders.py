"""What a new delivery order takes from the household and the plan: its arrival window and how it is handed over."""

import datetime as dt

from logistics.models import DeliveryOrder

# Vans do not knock on doors before 08:00 or after 20:00, whatever the household asked for.
DAY_START = dt.time(8, 0)
DAY_END = dt.time(20, 0)
# A narrower window than this cannot be promised on a round of twenty stops.
NARROWEST = dt.timedelta(hours=1)


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


def order_mode(plan) -> str:
    """Pick-up at the depot when the plan says the household collects; otherwise delivered at home."""
    return DeliveryOrder.Mode.PICKUP if plan.pickup else DeliveryOrder.Mode.HOME
