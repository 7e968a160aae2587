"""When a recurring aid plan delivers, and what goes in each delivery. Shared by order making and the forecast."""

import datetime as dt

from requests_intake.models import AidPlan


def plan_end(plan: AidPlan, until: dt.date) -> dt.date:
    """The last day the plan may deliver within `until`: its own end and its eligibility both count."""
    return min(day for day in (until, plan.repeat_until, plan.valid_until) if day is not None)


def plan_occurrences(plan: AidPlan, *, after: dt.date, until: dt.date) -> list[dt.date]:
    """Delivery dates of a recurring plan strictly after `after` and up to `until`; none while it is paused."""
    every = plan.repeat_every_days
    if not every or plan.paused_at is not None:
        return []
    end = plan_end(plan, until)
    steps = max(0, (after - plan.first_delivery_on).days // every + 1)
    dates = []
    day = plan.first_delivery_on + dt.timedelta(days=every * steps)
    while day <= end:
        dates.append(day)
        day += dt.timedelta(days=every)
    return dates


def delivery_number(plan: AidPlan, day: dt.date) -> int:
    """0 for the first delivery, 1 for the next, … (by the plan's calendar, not by orders made)."""
    if not plan.repeat_every_days:
        return 0
    return max(0, (day - plan.first_delivery_on).days // plan.repeat_every_days)


def lines_on(plan: AidPlan, lines, day: dt.date) -> list:
    """The plan's lines that go with the delivery on `day` (a monthly line rides every fourth weekly delivery)."""
    number = delivery_number(plan, day)
    return [line for line in lines if number % line.every_nth == 0]
