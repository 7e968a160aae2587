"""The order lifecycle on the driver's page: a round leaves and a stop is delivered; only the round's driver
starts it (the table itself: logistics/tests/test_lifecycle.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.services import stop_mark_delivered
from logistics.models import DeliveryOrder
from logistics.services import order_cancel
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def test_the_driver_starts_the_round_then_delivers(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    assert "start the round" in client.get(reverse("driver_round")).content.decode()
    client.post(reverse("round_started", args=[stop.round.pk]))
    stop.order.refresh_from_db()
    assert stop.order.status == S.OUT_FOR_DELIVERY
    told = stop.order.plan.request.notifications.get(event="on_the_way")
    assert timezone.localtime(stop.arrival_at).strftime("%H:%M") in told.body
    assert "start the round" not in client.get(reverse("driver_round")).content.decode()
    with pytest.raises(ValidationError) as refused:
        order_cancel(order=stop.order, reason="too late: it is on the van")
    assert refused.value.code == "not_cancellable"

    stop_mark_delivered(actor=role_users["driver"], stop=stop)
    stop.order.refresh_from_db()
    assert stop.order.status == S.DELIVERED


def test_another_driver_cannot_start_someone_elses_round(client, role_users):
    from core.tests.factories import UserFactory

    stop = planned_stop(role_users)
    other = UserFactory(username="otro")
    other.groups.set(role_users["driver"].groups.all())
    client.force_login(other)

    assert client.post(reverse("round_started", args=[stop.round.pk])).status_code == 404
    stop.order.refresh_from_db()
    assert stop.order.status == S.PLANNED
