"""A plan the planner has not published is not the driver's yet: no page, no PDF, no recording on it."""

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from routing.board import run_publish
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order

from .driver_world import action, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_stop(role_users) -> Stop:
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=run.pk)
    return Stop.objects.get(order=order)


def test_the_driver_page_does_not_show_a_draft(client, role_users, draft_stop):
    client.force_login(role_users["driver"])
    response = client.get(reverse("driver_round"))
    assert response.status_code == 200
    assert draft_stop.order.household.full_name not in response.content.decode()


def test_the_driver_cannot_record_on_a_draft_by_form_or_by_sync(client, role_users, draft_stop):
    client.force_login(role_users["driver"])
    assert client.post(reverse("stop_delivered", args=[draft_stop.pk])).status_code == 403
    assert client.post(reverse("round_started", args=[draft_stop.round_id])).status_code == 404
    assert client.get(reverse("round_pdf", args=[draft_stop.round_id, "route"])).status_code == 403
    answers = sync(client, [action("delivered", stop=draft_stop.pk), action("start", round=draft_stop.round_id)])
    assert [a["accepted"] for a in answers.json()["answers"]] == [False, False]
    draft_stop.refresh_from_db()
    assert draft_stop.outcome == Stop.Outcome.PENDING


def test_once_published_the_same_stop_is_the_drivers(client, role_users, draft_stop):
    run_publish(actor=role_users["logistics_planner"], run=draft_stop.round.run)
    client.force_login(role_users["driver"])
    assert draft_stop.order.household.full_name in client.get(reverse("driver_round")).content.decode()
    answers = sync(client, [action("delivered", stop=draft_stop.pk)])
    assert answers.json()["answers"][0]["accepted"] is True
