"""A day whose rounds are under way is the drivers': planning refuses to replace it."""

import pytest
from django.core.exceptions import ValidationError

from delivery.models import Stop
from delivery.services import round_start
from routing.models import PlanningRun
from routing.services import planning_run_start
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_a_day_whose_van_has_left_cannot_be_replanned(role_users):
    stop = planned_stop(role_users)
    round_start(actor=role_users["driver"], round_=stop.round)

    with pytest.raises(ValidationError) as refused:
        planning_run_start(actor=role_users["logistics_planner"], date=stop.round.date)
    assert refused.value.code == "day_started"
    assert Stop.objects.filter(pk=stop.pk).exists()
    assert PlanningRun.objects.count() == 1
