"""A round carrying one medication order as planning writes it: the pickup at the pharmacy first, then the home
stop, both for the same order."""

import datetime as dt

from delivery.models import Stop
from requests_intake.tests.factories import PharmacyFactory
from tests.scenarios import planned_stop

PRESCRIPTION = "RX-2026-7"


def medication_round(role_users, *, pharmacy=None, **household) -> tuple[Stop, Stop]:
    """(pickup, home) on the role driver's published round tomorrow: the pickup is stop 1 at Farmacia Ldo. Muñoz
    (open 09:00–14:00 and 17:00–20:30 on weekdays, 10:00–13:30 on Saturdays), the home stop is stop 2."""
    home = planned_stop(role_users, **household)
    plan = home.order.plan
    plan.pharmacy = pharmacy or PharmacyFactory(
        name="Farmacia Ldo. Muñoz", address="Calle Carmen 12, Cartagena", phone="+34968501234"
    )
    plan.prescription_ref = PRESCRIPTION
    plan.save(update_fields=["pharmacy", "prescription_ref"])
    home.sequence = 2
    home.save(update_fields=["sequence"])
    pickup = Stop.objects.create(
        round=home.round,
        order=home.order,
        kind=Stop.Kind.PICKUP,
        sequence=1,
        arrival_at=home.arrival_at - dt.timedelta(minutes=20),
    )
    return pickup, home
