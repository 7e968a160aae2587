"""What happens at the door, from the driver's page: delivered takes stock out of the ledger, failed gives it back
and reschedules."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.tests.factories import UserFactory, tomorrow
from delivery.models import Stop
from inventory.models import Reservation, StockMovement
from inventory.reservations import InsufficientStock
from inventory.selectors import available_by_item, on_hand_by_item
from logistics.models import DeliveryOrder
from requests_intake.models import Priority
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_failed_delivery_releases_stock_and_returns_the_order_for_the_next_day(client, role_users):
    stop = planned_stop(role_users, on_hand=10, per_pack=2)
    order = stop.order
    client.force_login(role_users["driver"])

    response = client.post(reverse("stop_failed", args=[stop.pk]), {"reason": "not_home"})

    assert response.status_code == 302
    stop.refresh_from_db()
    order.refresh_from_db()
    assert (stop.outcome, stop.failure_reason) == (Stop.Outcome.FAILED, "not_home")
    assert (order.status, order.due_date) == (DeliveryOrder.Status.RESCHEDULED, tomorrow() + dt.timedelta(days=1))
    assert (order.priority, order.failed_attempts) == (Priority.URGENT, 1)
    assert Reservation.objects.get().status == Reservation.Status.RELEASED
    assert StockMovement.objects.filter(kind="dispatch").count() == 0
    item_id = Reservation.objects.get().item_id
    assert available_by_item(warehouse=order.warehouse, on=tomorrow()) == {item_id: 10}


def test_failed_without_a_reason_changes_nothing(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    client.post(reverse("stop_failed", args=[stop.pk]), {"reason": ""})

    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
    assert Reservation.objects.get().status == Reservation.Status.ACTIVE


def test_a_stop_cannot_be_recorded_twice(client, role_users):
    stop = planned_stop(role_users, on_hand=10, per_pack=2)
    client.force_login(role_users["driver"])
    client.post(reverse("stop_delivered", args=[stop.pk]), {"received_by": ""})

    response = client.post(reverse("stop_failed", args=[stop.pk]), {"reason": "refused"}, follow=True)

    assert "already recorded" in response.content.decode()
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.DELIVERED
    assert on_hand_by_item(warehouse=stop.order.warehouse) == {Reservation.objects.get().item_id: 8}


def test_a_driver_cannot_record_another_drivers_stop(client, role_users):
    stop = planned_stop(role_users)
    other = UserFactory(username="otro-conductor")
    other.groups.add(role_users["driver"].groups.get())
    client.force_login(other)

    response = client.post(reverse("stop_delivered", args=[stop.pk]), {"received_by": ""})

    assert response.status_code == 403
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING


def test_a_driver_cannot_download_another_drivers_route_sheet(client, role_users):
    stop = planned_stop(role_users)
    other = UserFactory(username="otro-conductor")
    other.groups.add(role_users["driver"].groups.get())
    client.force_login(other)

    assert client.get(reverse("round_pdf", args=[stop.round.pk, "route"])).status_code == 403


def test_a_delivery_the_stock_cannot_cover_is_a_message_on_the_drivers_page_not_an_error(
    client, role_users, monkeypatch
):
    stop = planned_stop(role_users)
    item = Reservation.objects.get().item

    def dispatch(*, actor, order, on):
        raise InsufficientStock({item: (2, 0)})

    monkeypatch.setattr("delivery.services.order_dispatch_stock", dispatch)
    client.force_login(role_users["driver"])

    response = client.post(reverse("stop_delivered", args=[stop.pk]), {"received_by": "Rosa"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('driver_round')}#stop-{stop.pk}"
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"Not enough stock. {item.label}: needs 2, 0 available. "
        "The delivery was not recorded; call the depot so they can check the stock."
    ]
    stop.refresh_from_db()
    assert (stop.outcome, stop.received_by) == (Stop.Outcome.PENDING, "")
    assert Reservation.objects.get().status == Reservation.Status.ACTIVE
