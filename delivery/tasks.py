from celery import shared_task
from django.utils import timezone

from delivery.positions import van_positions_prune
from delivery.services import stop_failure_settle
from delivery.surveys import surveys_send_for_day


@shared_task
def stop_failure_settle_task(stop_id: int) -> bool:
    """A failed visit's undo time is over: the order gets its next day and the household is told."""
    return stop_failure_settle(stop_id=stop_id)


# Named as before the move to this app: beat's schedule and the periodic tasks stored in the database call it so.
@shared_task(name="logistics.tasks.surveys_send_task")
def surveys_send_task() -> int:
    """Every evening from beat: the satisfaction survey to the day's households; returns how many were sent."""
    return surveys_send_for_day(timezone.localdate())


@shared_task
def van_positions_prune_task() -> int:
    """Every night from beat: the vans' positions of past rounds are deleted; returns how many."""
    return van_positions_prune(today=timezone.localdate())
