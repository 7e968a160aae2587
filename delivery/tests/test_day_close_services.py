"""Day close: outcomes, ledger, statuses and messages reconciled; any disagreement named."""

import pytest

from delivery.day_close import day_close
from delivery.services import stop_mark_delivered, stop_mark_failed
from inventory.models import StockMovement
from requests_intake.models import Notification
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_a_cleanly_closed_day_has_no_problems_and_counts_packs_out_and_back(
    role_users, django_capture_on_commit_callbacks
):
    stop = planned_stop(role_users)
    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_delivered(actor=role_users["driver"], stop=stop, received_by="La titular")

    close = day_close(stop.round.date)

    assert close.problems == []
    assert close.totals == {"stops": 1, "delivered": 1, "failed": 0, "pending": 0}
    [(pack, out, delivered, back)] = close.rounds[0].pack_rows
    assert (out, delivered, back) == (1, 1, 0)


def test_stops_without_outcome_and_a_failed_visit_are_reported(role_users):
    stop = planned_stop(role_users)
    assert "no outcome recorded yet" in day_close(stop.round.date).problems[0]

    stop_mark_failed(actor=role_users["driver"], stop=stop, reason="not_home")
    close = day_close(stop.round.date)
    assert close.problems == []
    assert close.rounds[0].pack_rows[0][3] == 1  # the pack came back


def test_a_delivery_the_requester_was_not_told_of_or_without_stock_leaving_is_named(role_users):
    stop = planned_stop(role_users)
    stop_mark_delivered(actor=role_users["driver"], stop=stop)
    Notification.objects.filter(event=Notification.Event.DELIVERED).delete()
    StockMovement.objects.filter(kind="dispatch").update(kind="adjustment", reason="other")

    problems = day_close(stop.round.date).problems

    assert any("no stock left the ledger" in p for p in problems)
    assert any("requester was not told" in p for p in problems)
