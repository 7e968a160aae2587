"""A medication order has two stops on its round (the pickup at the pharmacy, then the door at home); every figure
counts it once, as one delivery, whichever page or file reads it."""

import pytest
from django.utils import timezone

from delivery.models import Stop
from reports.costs import delivery_costs
from reports.council import _delivery_rows
from reports.metrics import Period
from reports.selectors import deliveries_made, manager_figures
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication_delivered(role_users):
    home = planned_stop(role_users)
    home.sequence = 2
    home.save()
    now = timezone.now()
    Stop.objects.create(
        round=home.round,
        order=home.order,
        kind=Stop.Kind.PICKUP,
        sequence=1,
        arrival_at=home.arrival_at,
        outcome=Stop.Outcome.DELIVERED,
        handed_over_by="María, farmacéutica",
        recorded_at=now,
    )
    Stop.objects.filter(pk=home.pk).update(outcome=Stop.Outcome.DELIVERED, received_by="Carmen", recorded_at=now)
    return Period(home.round.date, home.round.date)


def test_the_figures_count_a_medication_order_as_one_delivery(medication_delivered):
    period = medication_delivered
    assert deliveries_made(period) == (1, 0)
    figures = manager_figures(period=period)
    assert sum(day.delivered for day in figures.visits) == 1


def test_the_council_report_and_the_costs_count_it_once(medication_delivered):
    period = medication_delivered
    at_the_door, _collected, not_delivered = _delivery_rows(period)[:3]
    assert (at_the_door.count, not_delivered.count) == (1, 0)
    assert delivery_costs(period=period).total.deliveries == 1


def test_a_failed_pickup_is_not_a_second_failed_visit(medication_delivered):
    period = medication_delivered
    Stop.objects.filter(kind=Stop.Kind.PICKUP).update(
        outcome=Stop.Outcome.FAILED, failure_reason=Stop.FailureReason.PHARMACY_CLOSED
    )
    Stop.objects.filter(kind=Stop.Kind.DELIVERY).update(
        outcome=Stop.Outcome.FAILED, failure_reason=Stop.FailureReason.PHARMACY_CLOSED, received_by=""
    )
    assert deliveries_made(period) == (0, 1)
