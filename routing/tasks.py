from celery import shared_task

from routing.eta import round_eta_recompute
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


@shared_task(ignore_result=True)
def round_eta_recompute_task(round_id: int) -> int:
    """A visit was recorded on a round under way: its other stops are timed again (routing.eta); returns how many
    households were told a new window."""
    return len(round_eta_recompute(round_id=round_id))
