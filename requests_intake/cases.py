"""Case work on a household: its professional of reference and who may read its case notes.

A case belongs to a zone: social workers of that zone and managers read it; drivers, planners, supplier staff and
intake never do (they lack the case-note permissions, and the zone rule narrows the rest)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from requests_intake.households import record_as
from requests_intake.models import CaseAssignment, Household, Intervention
from requests_intake.zone_access import zone_open_to

# Who may hold a case: whoever may write case notes (the social worker role; roles are shaped in the admin).
CASE_WORKER_PERMISSION = "requests_intake.add_intervention"
ASSIGN_PERMISSION = "requests_intake.add_caseassignment"
READ_NOTES_PERMISSION = "requests_intake.view_intervention"
REASON_MAX_LENGTH = CaseAssignment._meta.get_field("reason").max_length
# An intervention lasts at least a minute and at most a working day (the database checks the same).
MIN_MINUTES, MAX_MINUTES = 1, 600


def household_in_zones_of(user, household: Household) -> bool:
    """The zone rule: a user listed on zones reads those zones' households (and those not yet placed)."""
    return zone_open_to(user, household.zone_id)


def case_ensure_readable(user, household: Household) -> None:
    """Refuse (403) anyone who may not read this household's case notes."""
    if not user.has_perm(READ_NOTES_PERMISSION) or not household_in_zones_of(user, household):
        raise PermissionDenied


def case_workers() -> QuerySet:
    """Active users who may hold a case, by name."""
    app_label, codename = CASE_WORKER_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    holders = Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True)
    return get_user_model().objects.filter(holders, is_active=True).distinct().order_by("first_name", "last_name", "pk")


def case_workers_for(household: Household) -> QuerySet:
    """The social workers who may hold this household's case: those who work its zone."""
    workers = case_workers()
    return workers.filter(pk__in=[w.pk for w in workers if household_in_zones_of(w, household)])


@transaction.atomic
def household_assign_worker(*, actor, household: Household, worker, reason: str = "") -> CaseAssignment:
    """Make `worker` (None: nobody) the household's professional of reference and record the change."""
    if not actor.has_perm(ASSIGN_PERMISSION) or not household_in_zones_of(actor, household):
        raise ValidationError(
            _("You may not assign this household's case; nothing was changed."), code="assign_not_allowed"
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason is %(length)s characters long; write at most %(max)s. Nothing was changed.")
            % {"length": len(reason), "max": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    if household.merged_into_id is not None:
        raise ValidationError(
            _("Household %(pk)s was merged into household %(into)s: assign that one instead.")
            % {"pk": household.pk, "into": household.merged_into_id},
            code="household_merged",
        )
    if (worker.pk if worker is not None else None) == household.reference_worker_id:
        raise ValidationError(
            _("%(name)s already holds this case; nothing was changed.") % {"name": _worker_name(worker)},
            code="same_worker",
        )
    if worker is not None:
        if not worker.is_active or not worker.has_perm(CASE_WORKER_PERMISSION):
            raise ValidationError(
                _("%(name)s is not a social worker and cannot hold a case; nothing was changed.")
                % {"name": _worker_name(worker)},
                code="not_a_case_worker",
            )
        if not household_in_zones_of(worker, household):
            raise ValidationError(
                _("%(name)s does not work in %(zone)s, the household's zone; nothing was changed.")
                % {"name": _worker_name(worker), "zone": household.zone},
                code="outside_zone",
            )
    assignment = CaseAssignment.objects.create(
        household=household,
        from_worker_id=household.reference_worker_id,
        to_worker=worker,
        assigned_by=actor,
        reason=reason,
    )
    household.reference_worker = worker
    record_as(household, actor=actor, reason=_("Professional of reference changed"))
    household.save(update_fields=["reference_worker"])
    return assignment


def _worker_name(user) -> str:
    if user is None:
        return _("Nobody")
    return user.get_full_name() or user.username


def my_cases(user) -> QuerySet[Household]:
    """The households `user` is the professional of reference of, by name; merged records left out."""
    return (
        Household.objects.filter(reference_worker=user, merged_into__isnull=True)
        .select_related("zone")
        .order_by("family_name", "given_name", "pk")
    )


def intervention_record(
    *,
    actor,
    household: Household,
    kind: str,
    date: dt.date,
    duration_minutes: int,
    topic: str,
    note: str = "",
) -> Intervention:
    """Record a case note by `actor` on the household; refused with a code, and nothing saved, on bad input."""
    if not actor.has_perm(CASE_WORKER_PERMISSION) or not household_in_zones_of(actor, household):
        raise ValidationError(
            _("You may not write case notes for this household; nothing was saved."), code="notes_not_allowed"
        )
    errors = {}
    if kind not in Intervention.Kind.values:
        errors["kind"] = ValidationError(
            _("%(kind)s is not a kind of intervention; choose one from the list.") % {"kind": kind}, code="bad_kind"
        )
    if date > timezone.localdate():
        errors["date"] = ValidationError(
            _("The date %(date)s is in the future: record an intervention once it has taken place.")
            % {"date": day_text(date)},
            code="date_in_future",
        )
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = ValidationError(
            _("A duration of %(minutes)s minutes is out of range: write between %(min)s and %(max)s.")
            % {"minutes": duration_minutes, "min": MIN_MINUTES, "max": MAX_MINUTES},
            code="duration_out_of_range",
        )
    if not topic.strip():
        errors["topic"] = ValidationError(_("Write the topic of the intervention."), code="topic_missing")
    if errors:
        raise ValidationError(errors)
    return Intervention.objects.create(
        household=household,
        kind=kind,
        date=date,
        duration_minutes=duration_minutes,
        topic=topic.strip(),
        note=note.strip(),
        author=actor,
    )


def interventions_of(household: Household) -> QuerySet[Intervention]:
    return household.interventions.select_related("author")
