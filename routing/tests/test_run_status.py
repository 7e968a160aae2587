"""Which planning runs are still live: one rule, read the same by the queryset, the board, publishing and the
progress bar."""

import pytest

from core.tests.factories import tomorrow
from routing.board_selectors import board
from routing.models import PlanningRun
from routing.services import run_progress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "live"),
    [("queued", True), ("running", True), ("done", False), ("failed", False), ("cancelled", False)],
)
def test_a_run_is_live_exactly_while_queued_or_running_wherever_it_is_read(role_users, status, live):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], status=status)

    assert PlanningRun.objects.unfinished().filter(pk=run.pk).exists() is live
    assert run.is_finished is not live
    assert run_progress(run)["finished"] is not live
    assert (board(tomorrow(), [])["active"] == run) is live


def test_every_run_status_is_either_live_or_final():
    assert set(PlanningRun.UNFINISHED) | {"done", "failed", "cancelled"} == set(PlanningRun.Status.values)
