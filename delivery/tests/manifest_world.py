"""For the manifest tests: a round with its orders, and the text of a PDF."""

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from inventory.ledger import lot_receive
from inventory.selectors import default_warehouse
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.decisions import aid_request_approve
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _order(role_users, *, household=None, pack=None, quantity: int = 1, **approval) -> DeliveryOrder:
    """An approved order due tomorrow at the first warehouse, its stock received first so it is reserved."""
    warehouse = default_warehouse() or WarehouseFactory()
    if pack is None:
        item = ItemFactory()
        pack = pack_with({item: 1})
    for component in pack.components.all():
        lot_receive(
            actor=role_users["supplier_coordinator"],
            item=component.item,
            warehouse=warehouse,
            lot_code=f"L{component.item.pk}-{DeliveryOrder.objects.count()}",
            quantity=component.quantity * quantity,
            expiry_date=None,
        )
    needs = ["food", "medication"] if approval.get("pharmacy") or approval.get("prescription_ref") else ["food"]
    request = aid_request_register(
        actor=role_users["intake_operator"], household=household or HouseholdFactory(), channel="phone", needs=needs
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack, quantity)],
        priority=1,
        first_delivery_on=tomorrow(),
        **approval,
    )
    return plan.orders.get()


def _round(role_users, orders: list, *, warehouse=None, run=None, minutes_apart: int = 10) -> Round:
    """A round of `orders` in that order, written as planning writes it (no solver: the sheet is the subject)."""
    warehouse = warehouse or WarehouseFactory()
    run = run or PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    start = timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(9, 0)))
    round_ = Round.objects.create(
        run=run,
        date=tomorrow(),
        vehicle=VehicleFactory(depot=warehouse, driver=role_users["driver"]),
        driver=role_users["driver"],
        depot=warehouse,
        start_at=start,
        end_at=start + dt.timedelta(hours=3),
        distance_m=23_400,
    )
    for sequence, order in enumerate(orders, start=1):
        arrival = start + dt.timedelta(minutes=minutes_apart * sequence)
        Stop.objects.create(round=round_, order=order, sequence=sequence, arrival_at=arrival)
    return round_
