"""A late order fitted into a live round shifts the stops after it; their households hear of it only when their
window moved past the service's tolerance: the same rule as the ETAs of a round under way (routing.eta)."""

import pytest

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.windows import arrival_window
from requests_intake.models import Notification
from routing.live import order_fit_live
from routing.tests.test_day_live_fit_services import _day, _late

pytestmark = pytest.mark.django_db


def _told(stop: Stop) -> int:
    return Notification.objects.filter(request=stop.order.plan.request, event=Notification.Event.SCHEDULED).count()


@pytest.mark.parametrize(("tolerance", "told_again"), [(600, 0), (0, 1)])
def test_the_households_already_on_the_round_hear_only_past_the_tolerance(role_users, settings, tolerance, told_again):
    first = _day(role_users)
    before = _told(first)
    window_before = arrival_window(first.order, first.arrival_at)
    settings.WINDOW_CHANGE_TOLERANCE_MIN = tolerance
    late = _late(role_users)

    fit = order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    first.refresh_from_db()
    assert fit.stop.sequence < first.sequence, "the late order comes first, so the round's first stop shifts"
    assert arrival_window(first.order, first.arrival_at) != window_before
    assert _told(first) - before == told_again
