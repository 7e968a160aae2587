"""Large days across the Celery workers: the parts of a day (routing.solver.decompose) are solved by whichever
workers are up, on any machine, and the run that split the day puts them together.

How it works. The run's task (the coordinator) writes each part to a `PlanningPart` row and sends one
`routing.tasks.solve_part` task per part, as a Celery group. A part is solved by whoever claims its row first: a
worker that receives its task, or the coordinator itself, which claims the parts nobody has taken yet instead of
sitting idle. Claiming is one conditional UPDATE, so a part is solved once however many hands reach for it, and a
finished part is never written twice. When every part is done the coordinator reads the plans in order, and
`solve_large` offers the leftovers to the idle vans and checks the day as before.

Why not a chord whose callback assembles the day. The coordinator already holds the whole day in memory (two
2,000 × 2,000 matrices, tens of megabytes), the same-driver second search, the progress bar and the cancel button;
a chord callback would have to get the day through the broker or rebuild it from a database that has moved on.
Chords also need a result backend that supports them (`rpc://` does not), and a chord waits for a part lost with
its machine until the broker hands it back, an hour later with Redis' default visibility timeout. Here:
- a worker process that dies mid-part gets its task redelivered (acks late, rejected on worker lost); the same
  task id takes its part over at once;
- a part whose worker vanished without the broker noticing is taken over by the coordinator once its claim is older
  than the part's time limit allows (`stale_after`);
- the coordinator never waits on a task without working: with no other worker free it solves every part itself,
  in turn, as a single worker did before; so a full pool cannot deadlock;
- without a broker (eager Celery) the group runs in-process as it is sent: the same code, the parts in turn.
"""

import datetime as dt
import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone

from routing import solver
from routing.models import PlanningPart, PlanningRun
from routing.solver.decompose import solve_part
from routing.solver.serial import (
    options_from_dict,
    options_to_dict,
    plan_from_dict,
    plan_to_dict,
    problem_from_dict,
    problem_to_dict,
)

logger = logging.getLogger(__name__)

# How often the coordinator looks at the parts others are solving.
POLL_S = 0.2
# Past its time limit, a part's search stops within seconds; a claim older than this has lost its worker.
CLAIM_GRACE_S = 30


def stale_after(options: solver.SearchOptions) -> dt.timedelta:
    return dt.timedelta(seconds=2 * options.time_limit_s + CLAIM_GRACE_S)


def this_worker() -> str:
    """The Celery worker's name (`celery@host`, or what `-n` gave it); the machine's name outside a worker."""
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "hostname", None) or socket.gethostname()


def parts_solve(
    *,
    run_id: int,
    jobs: Iterable[tuple[solver.Problem, solver.SearchOptions]],
    stop_if_cancelled: Callable[[], None],
    on_solution: Callable[[], None] | None = None,
) -> list[solver.Plan]:
    """Have the parts solved by the workers that are up and by this process; their plans, in the parts' order.

    `stop_if_cancelled` is called between parts and raises to stop; the parts not yet solved are then dropped.
    `on_solution` is called by the searches this process runs (see `solve`)."""
    jobs = list(jobs)
    if not jobs:
        return []
    # Parts still holding a day are a dead coordinator's (this run taken over after its worker died): nobody will
    # read them, so the workers must not spend time on them.
    PlanningPart.objects.filter(Q(problem__isnull=False) | Q(plan__isnull=False), run_id=run_id).delete()
    batch = uuid.uuid4().hex
    rows = PlanningPart.objects.bulk_create(
        PlanningPart(
            run_id=run_id, batch=batch, index=i, problem=problem_to_dict(problem), options=options_to_dict(options)
        )
        for i, (problem, options) in enumerate(jobs)
    )
    me = f"coordinator-{batch}"
    finished = False
    try:
        _send([row.pk for row in rows])
        while True:
            stop_if_cancelled()
            index = _claim_next(batch, token=me, worker=this_worker(), stale=stale_after(jobs[0][1]))
            if index is not None:
                problem, options = jobs[index]
                plan = solve_part(problem, options, on_solution=on_solution)
                _finish(rows[index].pk, plan, worker=this_worker())
                continue
            plans = dict(
                PlanningPart.objects.filter(batch=batch, status=PlanningPart.Status.DONE).values_list("index", "plan")
            )
            if len(plans) == len(jobs):
                finished = True
                return [plan_from_dict(plans[i]) for i in range(len(jobs))]
            time.sleep(POLL_S)
    finally:
        if finished:
            # Who solved what stays on record; the day itself is now stored as rounds.
            PlanningPart.objects.filter(batch=batch).update(problem=None, plan=None)
        else:
            # Cancelled or failed: a part task that comes later finds nothing to do.
            PlanningPart.objects.filter(batch=batch).delete()


def _send(part_ids: list[int]) -> None:
    from celery import group
    from kombu.exceptions import OperationalError

    from routing.tasks import solve_part as solve_part_task

    try:
        group(solve_part_task.si(part_id) for part_id in part_ids).apply_async()
    except OperationalError:  # the broker is down: this process solves every part
        logger.warning("parts %s could not be sent; solving them here", part_ids, exc_info=True)


def _claimable(stale: dt.timedelta) -> Q:
    S = PlanningPart.Status
    return Q(status=S.PENDING) | Q(status=S.SOLVING, claimed_at__lt=timezone.now() - stale)


def _claim_next(batch: str, *, token: str, worker: str, stale: dt.timedelta) -> int | None:
    """Claim the first part of the batch nobody holds (or whose holder is gone); its index, or None."""
    while True:
        candidate = (
            PlanningPart.objects.filter(_claimable(stale), batch=batch)
            .order_by("index")
            .values_list("pk", "index")
            .first()
        )
        if candidate is None:
            return None
        if _claim(candidate[0], _claimable(stale), token=token, worker=worker):
            return candidate[1]


def _claim(part_id: int, claimable: Q, *, token: str, worker: str) -> bool:
    taken = PlanningPart.objects.filter(claimable, pk=part_id).update(
        status=PlanningPart.Status.SOLVING, task_id=token, solved_by=worker, claimed_at=timezone.now()
    )
    return taken == 1


def _finish(part_id: int, plan: solver.Plan, *, worker: str) -> bool:
    # The first plan in wins; a second one (a part taken over from a worker that came back) changes nothing.
    written = (
        PlanningPart.objects.filter(pk=part_id)
        .exclude(status=PlanningPart.Status.DONE)
        .update(
            status=PlanningPart.Status.DONE,
            plan=plan_to_dict(plan),
            problem=None,
            solved_by=worker,
            finished_at=timezone.now(),
        )
    )
    return written == 1


def part_solve(*, part_id: int, task_id: str, worker: str) -> bool:
    """Solve one part if nobody else has or is; safe to run twice. Returns whether this call solved it.

    A part is taken when it waits for a worker, or when this is the task that already held it (redelivered after
    its worker died). A part of a run that was cancelled or has ended is left alone."""
    S = PlanningPart.Status
    claimable = Q(status=S.PENDING) | Q(status=S.SOLVING, task_id=task_id) if task_id else Q(status=S.PENDING)
    if not _claim(part_id, claimable, token=task_id, worker=worker):
        logger.info("part %s is solved or being solved elsewhere; nothing to do", part_id)
        return False
    part = PlanningPart.objects.select_related("run").filter(pk=part_id).first()
    if part is None:  # its run was cancelled or failed meanwhile, and dropped its parts
        return False
    if part.run.cancel_requested or part.run.status != PlanningRun.Status.RUNNING:
        logger.info("part %s belongs to run %s, which is %s; left alone", part_id, part.run_id, part.run.status)
        return False
    plan = solve_part(problem_from_dict(part.problem), options_from_dict(part.options))
    return _finish(part_id, plan, worker=worker)
