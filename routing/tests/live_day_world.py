"""Tomorrow's published plan with its vans out: the board's live-day tests (vans on the map, ETAs, told windows,
moves while the day is under way) start from here."""

import datetime as dt

from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop, VanPosition
from logistics.models import DeliveryOrder
from logistics.windows import arrival_window
from requests_intake.models import Household
from routing.tests.board_world import two_van_draft


def live_day(role_users, *, out: tuple[str, ...] = ("first", "second")) -> dict:
    """`two_van_draft` published, the rounds named in `out` left the depot (their orders out for delivery) and
    their drivers sharing their position."""
    day = two_van_draft(role_users, published_at=timezone.now(), published_by=role_users["logistics_planner"])
    # Van A's two homes a kilometre and a half apart, so that the drive between them takes time.
    for order, (latitude, longitude) in zip(
        day["orders"][:2], [("37.605000", "-0.985000"), ("37.615000", "-0.975000")], strict=True
    ):
        Household.objects.filter(pk=order.household_id).update(latitude=latitude, longitude=longitude)
    # Each household was told its window when the plan was published, by the one rule.
    for stop in Stop.objects.filter(round__run=day["run"]).select_related("order__household"):
        start, end = arrival_window(stop.order, stop.arrival_at)
        DeliveryOrder.objects.filter(pk=stop.order_id).update(
            told_date=tomorrow(), told_start=start.replace(second=0), told_end=end.replace(second=0)
        )
    for name in out:
        round_ = day[name]
        DeliveryOrder.objects.filter(stops__round=round_).update(status=DeliveryOrder.Status.OUT_FOR_DELIVERY)
        Round.objects.filter(pk=round_.pk).update(position_shared_at=timezone.now())
    DeliveryOrder.objects.filter(stops__round__run=day["run"], status=DeliveryOrder.Status.RESERVED).update(
        status=DeliveryOrder.Status.PLANNED
    )
    return day


def fix(round_: Round, *, at: dt.datetime, latitude: float = 37.61, longitude: float = -0.98) -> VanPosition:
    """A position the round's phone sent, written as delivery.positions writes it."""
    return VanPosition.objects.create(
        round=round_, recorded_at=at, latitude=f"{latitude:.6f}", longitude=f"{longitude:.6f}", accuracy_m=15
    )


def on_the_day(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(hour, minute)))
