"""A day at work, end to end, as the walk-through of the issue met it: a household whose hours are 09:00–14:00 is
planned, told, printed and shown 09:00–14:00 (never its arrival ± half an hour, 08:31–09:31); the plan taken back
and published again tells nobody twice; stock that comes in at noon makes a baby pack ready, and it goes onto the
live rounds, told and printed by the same rule, while the van already on the road keeps its stops."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.tests.factories import tomorrow
from delivery.manifests import route_sheet_pdf
from delivery.models import Stop
from delivery.selectors import round_for_manifest
from delivery.services import round_start
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.decisions import aid_request_approve
from requests_intake.models import Notification
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.board import run_publish, run_unpublish
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

HOURS = {"preferred_from": dt.time(9, 0), "preferred_until": dt.time(14, 0)}


def _sheet(round_id: int) -> str:
    content = route_sheet_pdf(round_for_manifest(round_id), language="en")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _told(order) -> list[str]:
    return list(
        Notification.objects.filter(request=order.plan.request, event=Notification.Event.SCHEDULED).values_list(
            "body", flat=True
        )
    )


def test_own_hours_are_planned_told_printed_and_shown_and_told_once(client, role_users):
    order, _item, warehouse = approved_order(role_users, household=HouseholdFactory(**HOURS))
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    stop = Stop.objects.get(order=order)

    assert dt.time(9, 0) <= stop.arrival_at.astimezone().time() <= dt.time(14, 0)
    (told,) = _told(order)
    assert "09:00" in told
    assert "14:00" in told
    assert "09:00–14:00" in _sheet(stop.round_id)
    client.force_login(role_users["driver"])
    page = client.get(reverse("driver_round"), {"day": tomorrow().isoformat()}).content.decode()
    assert "Window 09:00–14:00" in page

    run_unpublish(actor=role_users["logistics_planner"], run=run)
    run_publish(actor=role_users["logistics_planner"], run=run)

    assert len(_told(order)) == 1


def test_stock_at_noon_puts_the_baby_pack_on_a_live_round_told_and_printed_by_the_same_rule(client, role_users):
    first, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"], name="Furgoneta 1")
    VehicleFactory(depot=warehouse, name="Furgoneta 2")
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    formula = ItemFactory(name="Leche de fórmula")
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(**HOURS), channel="phone", needs=["food"]
    )
    baby = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack_with({formula: 4}), 1)],
        priority=0,
        first_delivery_on=tomorrow(),
    ).orders.get()
    assert baby.status == DeliveryOrder.Status.SHORT
    planning_run_execute(run_id=run.pk)
    on_the_road = Stop.objects.get(order=first)
    round_start(actor=role_users["driver"], round_=on_the_road.round)
    kept = Stop.objects.values_list("round", "sequence", "arrival_at").get(pk=on_the_road.pk)
    client.force_login(role_users["logistics_planner"])
    board = client.get(reverse("planning"), {"date": tomorrow().isoformat()}).content.decode()
    assert "Leche de fórmula (needs 4, 0 free)" in board
    assert reverse("run_unpublish", args=[run.pk]) not in board

    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=formula,
        warehouse=warehouse,
        lot_code="NOON",
        quantity=4,
        expiry_date=None,
    )
    response = client.post(reverse("order_fit_live", args=[baby.pk]), {"date": tomorrow().isoformat()})

    assert response.status_code == 302
    fit = Stop.objects.get(order=baby)
    assert fit.round.vehicle.name == "Furgoneta 2"
    assert Stop.objects.values_list("round", "sequence", "arrival_at").get(pk=on_the_road.pk) == kept
    (told,) = _told(baby)
    assert "09:00" in told
    assert "14:00" in told
    assert "09:00–14:00" in _sheet(fit.round_id)
