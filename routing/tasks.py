from celery import shared_task

from routing.services import planning_run_execute, planning_runs_resume


@shared_task(bind=True)
def plan_day(self, run_id: int) -> int:
    """Plan one queued run; returns the run id so a caller can wait on it."""
    return planning_run_execute(run_id=run_id, task_id=self.request.id or "").pk


@shared_task
def planning_runs_resume_task() -> list[int]:
    """Every minute from beat: runs the broker lost or a dead worker left, sent again."""
    return planning_runs_resume()
