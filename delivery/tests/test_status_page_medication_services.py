"""The household's status page tells the time the van comes home, never the time it stops at the pharmacy."""

import datetime as dt

import pytest

from delivery.models import Stop
from delivery.status_page import _next_delivery
from logistics.windows import arrival_window
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_the_next_delivery_of_a_medication_order_is_the_home_stops_window(role_users):
    home = planned_stop(role_users)
    home.sequence = 2
    home.save()
    pickup_at = home.arrival_at - dt.timedelta(hours=2)
    Stop.objects.create(round=home.round, order=home.order, kind=Stop.Kind.PICKUP, sequence=1, arrival_at=pickup_at)

    told = _next_delivery(home.order)

    assert (told.start, told.end) == arrival_window(home.order, home.arrival_at)
    assert (told.start, told.end) != arrival_window(home.order, pickup_at)
