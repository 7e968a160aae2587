from celery import shared_task

from routing.services import planning_run_execute


@shared_task
def plan_day(run_id: int) -> int:
    """Plan one queued run; returns the run id so a caller can wait on it."""
    return planning_run_execute(run_id=run_id).pk
