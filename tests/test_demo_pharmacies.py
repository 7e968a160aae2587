"""The demo town has pharmacies people keep (three, with their hours) and medication orders on its planning day:
each names a pharmacy open that day and a prescription reference, for households of every zone."""

import datetime as dt

import pytest
from django.utils import timezone

from fixtures.demo_city import MEDICATION_ORDERS, demo_city_build
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, Need, Pharmacy

pytestmark = pytest.mark.django_db


def test_the_demo_town_has_three_placed_pharmacies_with_medication_orders_on_its_planning_day():
    demo_city_build()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    pharmacies = list(Pharmacy.objects.prefetch_related("hours"))
    assert len(pharmacies) == 3
    assert all(p.active and p.latitude is not None and p.phone for p in pharmacies)
    split = [(h.weekday, h.opens, h.closes) for h in pharmacies[0].hours.all() if h.weekday == 0]
    assert split == [(0, dt.time(9), dt.time(14)), (0, dt.time(17), dt.time(20, 30))]
    open_on_sunday = [p.name for p in pharmacies if any(h.weekday == 6 for h in p.hours.all())]
    assert open_on_sunday == ["Farmacia de la Muralla (horario ampliado)"]

    orders = list(
        DeliveryOrder.objects.filter(due_date=tomorrow, plan__pharmacy__isnull=False).select_related(
            "plan__pharmacy", "plan__request", "household"
        )
    )
    assert len(orders) == MEDICATION_ORDERS
    assert all(Need.MEDICATION in order.plan.request.needs for order in orders)
    assert all(order.mode == DeliveryOrder.Mode.HOME for order in orders)
    references = sorted(order.plan.prescription_ref for order in orders)
    assert references == [f"RX-{tomorrow.year}-{n:04d}" for n in range(1, len(orders) + 1)]
    # Every pharmacy named is open on the day the van collects there.
    assert all(order.plan.pharmacy.hours.filter(weekday=tomorrow.weekday()).exists() for order in orders)
    # Households of every zone that has deliveries that day.
    zones = set(DeliveryOrder.objects.filter(due_date=tomorrow).values_list("household__zone", flat=True))
    assert {order.household.zone_id for order in orders} == zones
    # Every medication plan delivered at home that day names its pharmacy.
    home = AidPlan.objects.filter(first_delivery_on=tomorrow, pickup=False).select_related("request")
    assert [p.pk for p in home if Need.MEDICATION in p.request.needs and p.pharmacy_id is None] == []
