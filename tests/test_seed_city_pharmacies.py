"""`seed_city` has pharmacies in every neighbourhood and medication orders on its days: each names a pharmacy open
that day and a prescription, its request needs medication, and today's published rounds (which carry no pharmacy
pickups) have none."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fixtures.city import NEIGHBOURHOODS
from fixtures.demo_city import DEMO_PHARMACIES
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, Need, Pharmacy, Priority

pytestmark = pytest.mark.django_db


def seed(*extra: str) -> None:
    call_command("seed_city", "--households", "300", "--password", "city-password-1", *extra, stdout=io.StringIO())


def test_a_city_has_pharmacies_and_medication_orders_from_tomorrow():
    seed()
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)

    assert Pharmacy.objects.count() == len(DEMO_PHARMACIES) + len(NEIGHBOURHOODS)
    assert not Pharmacy.objects.filter(hours__isnull=True).exists()
    orders = DeliveryOrder.objects.filter(plan__pharmacy__isnull=False).select_related(
        "plan__pharmacy", "plan__request"
    )
    assert orders.filter(due_date=today).count() == 0
    tomorrows = list(orders.filter(due_date=tomorrow))
    assert len(tomorrows) == 1  # 6 orders a day at 300 households: one of them
    for order in tomorrows:
        assert Need.MEDICATION in order.plan.request.needs
        assert order.priority == Priority.URGENT
        assert order.plan.prescription_ref.startswith(f"RX-{order.plan.first_delivery_on.year}-")
        assert order.plan.pharmacy.hours.filter(weekday=tomorrow.weekday()).exists()
    # An approved request needs medication only when its plan names the pharmacy.
    plans = AidPlan.objects.select_related("request")
    assert [p.pk for p in plans if (Need.MEDICATION in p.request.needs) != (p.pharmacy_id is not None)] == []


def test_a_second_city_keeps_the_pharmacies_it_finds():
    seed()
    seed("--force", "--seed", "7")

    assert Pharmacy.objects.count() == len(DEMO_PHARMACIES) + len(NEIGHBOURHOODS)
