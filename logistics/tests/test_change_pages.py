"""The order's change page: planners and social workers reschedule and cancel; a refusal says why and keeps all."""

import datetime as dt

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.models import DeliveryOrder
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


def test_a_planner_cancels_a_planned_order_from_its_page(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_cancel", args=[stop.order_id]), {"reason": "household_request", "note": ""})

    assert response.status_code == 302
    order = DeliveryOrder.objects.get()
    assert (order.status, order.cancel_reason) == (S.CANCELLED, "household_request")
    assert not Stop.objects.exists()
    page = client.get(reverse("order_change", args=[order.pk])).content.decode()
    assert "This order can no longer change." in page


def test_a_social_worker_reschedules_an_order_from_its_page(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["social_worker"])
    new_day = tomorrow() + dt.timedelta(days=2)

    response = client.post(
        reverse("order_reschedule", args=[stop.order_id]),
        {"due_date": new_day.isoformat(), "window_start": "10:00", "window_end": "12:00", "mode": "home"},
    )

    assert response.status_code == 302
    order = DeliveryOrder.objects.get()
    assert (order.status, order.due_date, order.window_start) == (S.RESERVED, new_day, dt.time(10, 0))


def test_a_refused_reschedule_says_why_and_changes_nothing(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("order_reschedule", args=[stop.order_id]),
        {"due_date": tomorrow().isoformat(), "window_start": "12:00", "window_end": "10:00", "mode": "home"},
    )

    assert response.status_code == 409
    assert "The window must end after it starts" in response.content.decode()
    order = DeliveryOrder.objects.get()
    assert (order.status, order.window_start) == (S.PLANNED, dt.time(9, 0))
    assert Stop.objects.count() == 1


def test_an_unknown_cancel_reason_is_a_form_error(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("order_cancel", args=[stop.order_id]), {"reason": "bored"})

    assert response.status_code == 400
    assert DeliveryOrder.objects.get().status == S.PLANNED


def test_a_driver_may_not_change_orders(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    response = client.post(reverse("order_cancel", args=[stop.order_id]), {"reason": "other"})

    assert response.status_code == 403
    assert DeliveryOrder.objects.get().status == S.PLANNED


def test_the_household_record_links_an_open_order_to_its_change_page_and_a_cancelled_one_to_none(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["social_worker"])
    record = reverse("household_detail", args=[stop.order.household_id])
    change = reverse("order_change", args=[stop.order_id])
    assert f'href="{change}"' in client.get(record).content.decode()

    client.post(reverse("order_cancel", args=[stop.order_id]), {"reason": "duplicate"})

    assert f'href="{change}"' not in client.get(record).content.decode()
