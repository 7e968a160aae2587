"""For the reservation races on PostgreSQL: waiting orders, passes started at one moment, and the holds they leave."""

import threading
import traceback
from collections import Counter

from django.db import connection
from django.db.models import Sum

from core.tests.factories import tomorrow
from inventory.models import Reservation
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory

ACTIVE = Reservation.Status.ACTIVE


def waiting_orders(actor, warehouse, pack, count: int, status=DeliveryOrder.Status.PENDING) -> list[DeliveryOrder]:
    """`count` orders of one pack each, due tomorrow, waiting for stock."""
    orders = []
    for _ in range(count):
        request = aid_request_register(actor=actor, household=HouseholdFactory(), channel="phone", needs=["food"])
        plan = AidPlan.objects.create(request=request, first_delivery_on=tomorrow())
        order = DeliveryOrder.objects.create(
            plan=plan, household=request.household, warehouse=warehouse, due_date=tomorrow(), status=status
        )
        DeliveryOrderLine.objects.create(order=order, pack=pack, quantity=1)
        orders.append(order)
    return orders


def run_together(targets) -> list[int]:
    """Start every target at the same moment, each on its own connection; returns their backend ids."""
    barrier = threading.Barrier(len(targets))
    backends: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def race(target):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait()
            try:
                target()
            except BaseException:  # noqa: BLE001 - reported to the test below, not swallowed
                with lock:
                    errors.append(traceback.format_exc())
            with lock:
                backends.append(pid)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return backends


def units_held_per_order(orders) -> dict[int, int]:
    rows = (
        Reservation.objects.filter(order__in=orders, status=ACTIVE)
        .values("order_id")
        .annotate(total=Sum("quantity"))
        .order_by("order_id")
    )
    return {row["order_id"]: row["total"] for row in rows}


def holds_per_order(orders) -> Counter:
    return Counter(Reservation.objects.filter(order__in=orders, status=ACTIVE).values_list("order_id", flat=True))
