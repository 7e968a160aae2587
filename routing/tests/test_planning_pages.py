"""The planning page: a failed plan said on the page, fitting late orders in, the date pickers, a run waiting for
a worker."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun, UnplacedOrder
from routing.services import planning_run_execute
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_a_plan_that_crashes_is_recorded_as_failed_and_the_page_says_so(client, role_users, monkeypatch):
    approved_order(role_users)
    VehicleFactory()

    def broken_solver(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("routing.services.solve_large", broken_solver)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning"), {"date": tomorrow().isoformat()}, follow=True)

    run = PlanningRun.objects.get()
    assert (run.status, run.error) == (PlanningRun.Status.FAILED, "solver exploded")
    assert "Planning failed." in response.content.decode()
    assert Round.objects.count() == 0


def test_fitting_a_late_order_keeps_the_planned_stops_on_their_van(
    client, role_users, django_capture_on_commit_callbacks
):
    from requests_intake.models import Notification

    first = planned_stop(role_users)
    van = first.round.vehicle
    late, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(latitude="37.606000"))
    told_before = Notification.objects.filter(event="scheduled").count()
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()})
    assert "Fit 1 waiting order into the plan" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning"), {"date": tomorrow().isoformat(), "insert": "1"})

    run = PlanningRun.objects.latest("created_at")
    assert (run.kind, run.status) == (PlanningRun.Kind.INSERT, PlanningRun.Status.DONE)
    assert set(Stop.objects.values_list("order_id", "round__vehicle")) == {(first.order_id, van.pk), (late.pk, van.pk)}
    # Only the newly fitted order's household is told its delivery day; the others were told already.
    scheduled = Notification.objects.filter(event="scheduled")
    assert scheduled.count() == told_before + 1
    assert scheduled.latest("pk").request == late.plan.request


def test_the_date_pickers_carry_an_iso_date_in_spanish_too(client, role_users, settings):
    settings.LANGUAGE_CODE = "es"
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    assert f'type="date" name="date" value="{tomorrow().isoformat()}"' in page


def test_orders_already_explained_as_left_out_are_not_offered_for_fitting(client, role_users):
    planned_stop(role_users)
    approved_order(role_users, household=HouseholdFactory(latitude=None, longitude=None))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()

    assert UnplacedOrder.objects.filter(run=run, reason="no_location").count() == 1
    assert "waiting order" not in page


def test_a_run_queued_for_more_than_half_a_minute_says_it_waits_for_a_worker(client, role_users):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    client.force_login(role_users["logistics_planner"])
    board = f"{reverse('planning')}?date={tomorrow().isoformat()}"
    waiting_note = "Still waiting for a worker to start it."

    assert client.get(reverse("planning_run_status", args=[run.pk])).json()["waiting"] is False
    assert f"data-waiting hidden>{waiting_note}" in client.get(board).content.decode()

    PlanningRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(seconds=31))
    assert client.get(reverse("planning_run_status", args=[run.pk])).json()["waiting"] is True
    assert f"data-waiting>{waiting_note}" in client.get(board).content.decode()
