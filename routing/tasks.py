from celery import shared_task

from routing.parts import part_solve, this_worker
from routing.services import planning_run_execute, planning_runs_resume


@shared_task(bind=True)
def plan_day(self, run_id: int) -> int:
    """Plan one queued run; returns the run id so a caller can wait on it."""
    return planning_run_execute(run_id=run_id, task_id=self.request.id or "").pk


@shared_task
def planning_runs_resume_task() -> list[int]:
    """Every minute from beat: runs the broker lost or a dead worker left, sent again."""
    return planning_runs_resume()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def solve_part(self, part_id: int) -> bool:
    """Solve one part of a large day (routing.parts); a part already solved or taken is left alone."""
    return part_solve(part_id=part_id, task_id=self.request.id or "", worker=self.request.hostname or this_worker())
