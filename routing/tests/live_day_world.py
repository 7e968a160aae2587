"""Tomorrow's published plan with its vans out: the board's live-day tests (vans on the map, ETAs, told windows,
moves while the day is under way) start from here."""

import datetime as dt

from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, VanPosition
from logistics.models import DeliveryOrder
from routing.tests.board_world import two_van_draft


def live_day(role_users, *, out: tuple[str, ...] = ("first", "second")) -> dict:
    """`two_van_draft` published, the rounds named in `out` left the depot (their orders out for delivery) and
    their drivers sharing their position."""
    day = two_van_draft(role_users, published_at=timezone.now(), published_by=role_users["logistics_planner"])
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
