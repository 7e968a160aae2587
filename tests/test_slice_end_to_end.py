"""One aid request carried through the web pages, from the phone call to the delivered package."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.tests.factories import tomorrow
from delivery.models import Stop
from inventory.ledger import lot_receive
from inventory.models import Reservation, StockMovement
from inventory.selectors import on_hand_by_item
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.models import AidRequest, Notification
from routing.models import PlanningRun

pytestmark = pytest.mark.django_db

HOUSEHOLD_FORM = {
    "given_name": "Rosa María",
    "family_name": "Pérez Muñoz",
    "document_type": "dni",
    "document_number": "12345678Z",
    "phone": "968 12 34 56",
    "address": "Calle de la Alfarería 14, 3º",
    "postcode": "30201",
    "municipality": "Cartagena",
    "latitude": "37.602000",
    "longitude": "-0.982000",
    "members": "3",
    "access_notes": "Llamar antes de subir",
    "language": "es",
}


@pytest.fixture
def stocked_world(role_users):
    warehouse = WarehouseFactory()
    rice = ItemFactory(sku="ALI-ARROZ", name="Arroz 1 kg")
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=rice,
        warehouse=warehouse,
        lot_code="A1",
        quantity=10,
        expiry_date=None,
    )
    pack = pack_with({rice: 2}, name="Lote de alimentos")
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    return {"warehouse": warehouse, "rice": rice, "pack": pack}


def test_a_request_travels_from_intake_to_a_delivered_package(
    client, role_users, stocked_world, django_capture_on_commit_callbacks
):
    warehouse, rice, pack = stocked_world["warehouse"], stocked_world["rice"], stocked_world["pack"]

    # Intake: the operator registers the household, then the request.
    client.force_login(role_users["intake_operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake"), HOUSEHOLD_FORM)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response.url, {"channel": "phone", "needs": ["food", "hygiene"], "description": "Sin ingresos"}
        )
    assert response.status_code == 302
    aid_request = AidRequest.objects.get()
    assert aid_request.reference == f"R-{timezone.localdate().year}-{aid_request.pk:06d}"
    assert aid_request.household.phone == "+34968123456"
    assert aid_request.status == AidRequest.Status.IN_ASSESSMENT

    # Approval: the social worker sees it in the queue and approves one pack for tomorrow.
    client.force_login(role_users["social_worker"])
    assert aid_request.reference in client.get(reverse("assessment_queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment", args=[aid_request.pk]),
            {
                "approve": "1",
                f"pack_{pack.pk}": "1",
                "priority": "1",
                "first_delivery_on": tomorrow().isoformat(),
            },
        )
    assert response.status_code == 302
    aid_request.refresh_from_db()
    assert (aid_request.status, aid_request.decided_by) == (
        AidRequest.Status.APPROVED,
        role_users["social_worker"],
    )
    order = DeliveryOrder.objects.get()
    assert (order.status, order.due_date) == (DeliveryOrder.Status.RESERVED, tomorrow())
    assert list(Reservation.objects.values_list("item_id", "quantity", "status")) == [(rice.pk, 2, "active")]

    # Planning: the planner plans tomorrow; the order lands on the van's round.
    client.force_login(role_users["logistics_planner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning"), {"date": tomorrow().isoformat()})
    assert response.status_code == 302
    run = PlanningRun.objects.get()
    assert run.status == PlanningRun.Status.DONE
    # The board plans a draft; publishing it plans the orders and tells the household.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("run_publish", args=[run.pk])).status_code == 302
    stop = Stop.objects.get()
    assert (stop.order, stop.sequence, stop.round.driver) == (order, 1, role_users["driver"])
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.PLANNED

    # Manifest: the route sheet parses and carries the address the driver must reach.
    response = client.get(reverse("round_pdf", args=[stop.round.pk, "route"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Calle de la Alfarería 14, 3º" in text
    assert "Rosa María Pérez Muñoz" in text

    # Delivery: the driver marks the stop delivered; the pack's items leave the shelf.
    client.force_login(role_users["driver"])
    assert "Rosa María Pérez Muñoz" in client.get(reverse("driver_round")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stop_delivered", args=[stop.pk]), {"received_by": "Rosa"})
    assert response.status_code == 302
    stop.refresh_from_db()
    order.refresh_from_db()
    assert (stop.outcome, order.status) == (Stop.Outcome.DELIVERED, DeliveryOrder.Status.DELIVERED)
    assert on_hand_by_item(warehouse=warehouse) == {rice.pk: 8}
    assert list(StockMovement.objects.filter(order=order).values_list("kind", "quantity")) == [("dispatch", -2)]
    assert Reservation.objects.get().status == Reservation.Status.CONSUMED
    assert list(Notification.objects.order_by("pk").values_list("event", "status")) == [
        ("received", "sent"),
        ("approved", "sent"),
        ("scheduled", "sent"),
        ("delivered", "sent"),
    ]


@pytest.mark.django_db(transaction=True)
def test_demo_city_plans_its_day_with_every_order_accounted_for(settings):
    from django.core.management import call_command

    from routing.models import UnplacedOrder

    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("plan_day", stdout=out)

    run = PlanningRun.objects.get(date=tomorrow())  # the demo's past weeks have their own runs
    due = DeliveryOrder.objects.filter(due_date=run.date).count()
    assert due == 60
    # Pick-ups wait at the depot; every other order is on a round or left out with a reason.
    pickups = DeliveryOrder.objects.filter(due_date=run.date, mode=DeliveryOrder.Mode.PICKUP).count()
    assert pickups == 3
    homes = Stop.objects.filter(round__run=run, kind=Stop.Kind.DELIVERY)
    assert homes.count() + UnplacedOrder.objects.filter(run=run).count() == due - pickups
    # A medication order on a round is collected at its pharmacy first, on the same van.
    medication = homes.filter(order__plan__pharmacy__isnull=False).select_related("order")
    assert not UnplacedOrder.objects.filter(run=run, reason="missing_skill").exists()  # a driver at every depot
    assert medication.exists()
    for home in medication:
        pickup = Stop.objects.get(round__run=run, kind=Stop.Kind.PICKUP, order=home.order)
        assert (pickup.round_id, pickup.sequence < home.sequence) == (home.round_id, True)
    pdfs = sorted(p.name for p in (settings.MANIFEST_DIR / run.date.isoformat()).iterdir())
    # Three depots, each serving its zones: every one sends rounds out.
    depots = sorted(set(run.rounds.values_list("depot__code", flat=True)))
    assert depots == ["almacen-central", "almacen-norte", "almacen-oeste"]
    # A route sheet and a loading list per round, and each depot's assembly list and summary for the day.
    assert len(pdfs) == 2 * run.rounds.count() + 2 * len(depots)
    assert f"run{run.pk}-assembly-almacen-central.pdf" in pdfs
    call_command("check_stock", stdout=io.StringIO())  # exits 1 if any balance differs from the ledger
    assert f"Left out: {UnplacedOrder.objects.filter(run=run).count()}" in out.getvalue()
    assert "To be collected at the depot (not on a round): " in out.getvalue()
