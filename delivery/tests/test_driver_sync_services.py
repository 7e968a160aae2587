"""The phone's queue applied without the page: a refused action answers with the service's code."""

import pytest

from delivery.driver_sync import RECEIVED_BY_MAX, actions_apply
from delivery.models import DriverAction, Stop
from delivery.tests.driver_world import action
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_a_received_by_name_over_the_limit_is_refused_with_its_code(role_users):
    stop = planned_stop(role_users)
    sent = action("delivered", stop=stop.pk, received_by="R" * (RECEIVED_BY_MAX + 1))

    [answer] = actions_apply(driver=role_users["driver"], actions=[sent])

    assert (answer["accepted"], answer["code"]) == (False, "received_by_too_long")
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.get().code == "received_by_too_long"


def test_a_failure_without_a_known_reason_answers_the_services_code(role_users):
    stop = planned_stop(role_users)

    [answer] = actions_apply(driver=role_users["driver"], actions=[action("failed", stop=stop.pk, reason="x")])

    assert (answer["accepted"], answer["code"]) == (False, "failure_reason_missing")
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
