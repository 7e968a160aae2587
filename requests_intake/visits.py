"""Home visits: scheduling them, recording how they went (as an intervention), and a social worker's day of visits
put in order by the routing engine.

The order comes from routing.solver with travel times from routing.travel, the engine and matrices the rounds use:
an upward import from intake into routing, declared for the import contracts (a social worker's day is a one-person
round)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from requests_intake.cases import CASE_WORKER_PERMISSION, household_in_zones_of, intervention_record
from requests_intake.models import HomeVisit, Household, Intervention
from routing import solver
from routing.travel import travel_matrices

# A social worker's visiting day, and the time each visit is expected to take at the door.
SHIFT_START, SHIFT_END = dt.time(9, 0), dt.time(15, 0)
VISIT_MINUTES = 45
PURPOSE_MAX_LENGTH = HomeVisit._meta.get_field("purpose").max_length


def _may_visit(user, household: Household) -> bool:
    return user.has_perm(CASE_WORKER_PERMISSION) and household_in_zones_of(user, household)


@transaction.atomic
def home_visit_schedule(
    *,
    actor,
    household: Household,
    worker,
    date: dt.date,
    window_start: dt.time,
    window_end: dt.time,
    purpose: str,
) -> HomeVisit:
    """Plan a visit by `worker` to the household on `date` between the two times; refused with a code on bad input."""
    if not actor.has_perm("requests_intake.add_homevisit") or not household_in_zones_of(actor, household):
        raise ValidationError(_("You may not schedule visits to this household."), code="visit_not_allowed")
    if not _may_visit(worker, household):
        raise ValidationError(
            _("%(name)s is not a social worker of the household's zone; nothing was scheduled.")
            % {"name": worker.get_full_name() or worker.username},
            code="worker_not_allowed",
        )
    errors = {}
    if date < timezone.localdate():
        errors["date"] = ValidationError(
            _("%(date)s has passed: choose today or a later day.") % {"date": day_text(date)},
            code="date_in_past",
        )
    if window_end <= window_start:
        errors["window_end"] = ValidationError(
            _("The window %(start)s–%(end)s is empty: the end must come after the start.")
            % {"start": window_start.strftime("%H:%M"), "end": window_end.strftime("%H:%M")},
            code="window_empty",
        )
    elif window_start < SHIFT_START or window_end > SHIFT_END:
        errors["window_start"] = ValidationError(
            _("Visits are made between %(start)s and %(end)s; choose a window inside those hours.")
            % {"start": SHIFT_START.strftime("%H:%M"), "end": SHIFT_END.strftime("%H:%M")},
            code="window_outside_hours",
        )
    if not purpose.strip():
        errors["purpose"] = ValidationError(_("Write the purpose of the visit."), code="purpose_missing")
    elif len(purpose.strip()) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = ValidationError(
            _("Write the purpose in at most %(max)s characters.") % {"max": PURPOSE_MAX_LENGTH}, code="purpose_long"
        )
    if errors:
        raise ValidationError(errors)
    return HomeVisit.objects.create(
        household=household,
        worker=worker,
        date=date,
        window_start=window_start,
        window_end=window_end,
        purpose=purpose.strip(),
        scheduled_by=actor,
    )


@transaction.atomic
def home_visit_record_outcome(*, actor, visit: HomeVisit, duration_minutes: int, note: str) -> HomeVisit:
    """Mark the visit done; what happened becomes an intervention of kind home visit, on the household's case."""
    visit = HomeVisit.objects.select_for_update().select_related("household").get(pk=visit.pk)
    if visit.worker_id != actor.pk:
        raise ValidationError(_("Only the social worker making the visit records its outcome."), code="not_your_visit")
    if visit.status != HomeVisit.Status.PLANNED:
        raise ValidationError(
            _("This visit is already %(status)s; nothing was recorded.") % {"status": visit.get_status_display()},
            code="visit_not_planned",
        )
    if visit.date > timezone.localdate():
        raise ValidationError(
            _("The visit is planned for %(date)s: record its outcome once it has taken place.")
            % {"date": day_text(visit.date)},
            code="visit_in_future",
        )
    if not note.strip():
        raise ValidationError({"note": ValidationError(_("Write what happened at the visit."), code="note_missing")})
    visit.intervention = intervention_record(
        actor=actor,
        household=visit.household,
        kind=Intervention.Kind.HOME_VISIT,
        date=visit.date,
        duration_minutes=duration_minutes,
        topic=visit.purpose,
        note=note,
    )
    visit.status = HomeVisit.Status.DONE
    visit.save(update_fields=["intervention", "status"])
    return visit


@transaction.atomic
def home_visit_cancel(*, actor, visit: HomeVisit) -> HomeVisit:
    visit = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.worker_id != actor.pk and not (
        actor.has_perm("requests_intake.change_homevisit") and household_in_zones_of(actor, visit.household)
    ):
        raise ValidationError(_("You may not cancel this visit."), code="visit_not_allowed")
    if visit.status != HomeVisit.Status.PLANNED:
        raise ValidationError(
            _("This visit is already %(status)s; nothing was changed.") % {"status": visit.get_status_display()},
            code="visit_not_planned",
        )
    visit.status = HomeVisit.Status.CANCELLED
    visit.save(update_fields=["status"])
    return visit


def visits_of(worker, date: dt.date) -> QuerySet[HomeVisit]:
    return HomeVisit.objects.filter(worker=worker, date=date).select_related("household", "intervention")


@dataclass(frozen=True)
class DayVisit:
    visit: HomeVisit
    arrival: dt.time | None  # None: not on the route (done, cancelled, no location or no time left)
    travel_minutes: int | None  # from the previous visit
    unplaced_reason: str = ""


def _seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60


def _time(seconds: int) -> dt.time:
    return dt.time(seconds // 3600, seconds % 3600 // 60)


def visits_day(worker, date: dt.date) -> list[DayVisit]:
    """The worker's visits of the day in the order to make them, with arrival times and travel between them.

    Planned visits with a location are routed: one "vehicle" (the worker, 9–15), each visit a stop in its window.
    She starts at her first visit (the depot is a point at no distance from anywhere), so the plan orders the visits
    and times the walks or drives between them. Visits the engine cannot fit, or without a location, follow, then
    those done or cancelled."""
    visits = list(visits_of(worker, date))
    routable = [v for v in visits if v.status == HomeVisit.Status.PLANNED and v.household.has_location]
    routed: list[DayVisit] = []
    unplaced: list[DayVisit] = []
    if routable:
        metres, seconds = travel_matrices(
            [solver.Location(float(v.household.latitude), float(v.household.longitude)) for v in routable]
        )
        # Node 0 is the depot: nowhere, at no distance from every visit.
        zero_row = (0,) * (len(routable) + 1)
        problem = solver.Problem(
            vehicles=(
                solver.Vehicle(
                    id="worker", capacity=(1,), shift=solver.TimeWindow(_seconds(SHIFT_START), _seconds(SHIFT_END))
                ),
            ),
            stops=tuple(
                solver.Stop(
                    id=str(v.pk),
                    demand=(0,),
                    window=solver.TimeWindow(_seconds(v.window_start), _seconds(v.window_end)),
                    service_time=VISIT_MINUTES * 60,
                )
                for v in routable
            ),
            distance=(zero_row, *((0, *row) for row in metres)),
            duration=(zero_row, *((0, *row) for row in seconds)),
            objective=solver.Objective.DISTANCE,
        )
        limit = settings.ROUTING_SOLUTION_LIMIT or 50
        plan = solver.solve(problem, options=solver.SearchOptions(time_limit_s=1.0, solution_limit=limit))
        by_id = {str(v.pk): v for v in routable}
        index = {str(v.pk): i for i, v in enumerate(routable)}
        for route in plan.routes:
            previous = None
            for stop in route.visits:
                travel = None if previous is None else round(seconds[index[previous]][index[stop.stop_id]] / 60)
                routed.append(DayVisit(by_id[stop.stop_id], _time(stop.arrival), travel))
                previous = stop.stop_id
        for missing in plan.unassigned:
            unplaced.append(
                DayVisit(
                    by_id[missing.stop_id],
                    None,
                    None,
                    _("Cannot be reached in its window with the other visits of the day."),
                )
            )
    for visit in visits:
        if visit.status == HomeVisit.Status.PLANNED and not visit.household.has_location:
            unplaced.append(DayVisit(visit, None, None, _("The household's address has no location on the map.")))
    closed = [DayVisit(v, None, None) for v in visits if v.status != HomeVisit.Status.PLANNED]
    return routed + sorted(unplaced, key=lambda d: d.visit.window_start) + closed
