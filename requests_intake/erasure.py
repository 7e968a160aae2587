"""Erasing a household's personal data when the person asks for it (right to erasure), keeping the figures.

What goes: everything that says who the person is or what their life is like. The holder's and members' names,
birth dates, document, phone, e-mail, address and coordinates, access notes, vulnerability, diets and delivery
preferences; the requests' contact, description, information asked for and rejection text; the aid plans' notes,
prescription reference and pause reason; every message and notification text and recipient; who collected or
received an order, order notes, signature and photo files; what a driver saw (welfare concerns); survey comments;
and the names the admin's log kept for the record and its members.

What stays: the rows themselves and the numbers the council reports on. The number of members and each member's
relationship, the zone, postcode and municipality, language, consent date and scope, every date (received,
decided, delivered, collected), channels, needs, priorities, statuses and reason codes, referral agencies, packs
ordered and delivered, failure reasons, survey scores. So the manager's figures are the same before and after.

History (django-simple-history) is scrubbed in place, not deleted: its rows keep when, by whom and why each change
was made (the audit trail, and the decisions the timeline shows), but every personal field in them is overwritten
with the same placeholders as the live rows. Deleting them would lose the trail; leaving them would keep the very
data the person asked us to erase, so the erasure would not be real. The erasure then writes one history row of its
own on each erased record, with the manager as its user and the reason as its change reason: that row is the
record of the erasure itself (who, when, why), and the audit page shows it.

The placeholder is stored text, not a label, so it is written in the site's language (LANGUAGE_CODE).

Records merged into the household are the same person's and are erased with it. Two things are left as they are:
the street geocoding cache (an address searched once, linked to nobody), and logs outside the database.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import day_text
from delivery.models import SatisfactionSurvey, Stop, WelfareConcern
from logistics.models import DeliveryOrder
from requests_intake.households import record_as
from requests_intake.models import (
    AidPlan,
    AidRequest,
    DocumentType,
    Household,
    HouseholdMember,
    Notification,
    RequestMessage,
    StatusLink,
)

logger = logging.getLogger(__name__)

# A manager erases: they read every zone's records and their history, and may take personal data out.
ERASE_PERMISSIONS = ("requests_intake.export_household", "requests_intake.view_audit")
REASON_MAX_LENGTH = Household.history.model._meta.get_field("history_change_reason").max_length
FINAL_ORDER_STATUSES = (DeliveryOrder.Status.DELIVERED, DeliveryOrder.Status.CANCELLED)


@dataclass(frozen=True)
class ErasureResult:
    households: int  # the record and those merged into it
    members: int
    requests: int
    history_rows: int
    files: int


def erased_placeholder() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased")


def erasure_records(household: Household) -> list[Household]:
    """The household and every record merged into it, directly or through an earlier merge."""
    records, frontier, seen = [household], [household.pk], {household.pk}
    while frontier:
        merged = list(Household.objects.filter(merged_into__in=frontier).exclude(pk__in=seen).order_by("pk"))
        records.extend(merged)
        frontier = [record.pk for record in merged]
        seen.update(frontier)
    return records


def _plan_still_orders(plan: AidPlan, today: dt.date) -> bool:
    if not plan.repeat_every_days or plan.paused_at is not None:
        return False
    ends = [day for day in (plan.repeat_until, plan.valid_until) if day is not None]
    return not ends or min(ends) >= today


def erasure_blockers(household: Household) -> list[str]:
    """Why the household cannot be erased yet, each with what to do; empty when it can."""
    return [refusal.message for refusal in _erasure_refusals(household)]


def _erasure_refusals(household: Household) -> list[ValidationError]:
    # Each reason with its own code: the erase page shows the messages, callers and tests tell them apart by code.
    if household.merged_into_id is not None:
        return [
            ValidationError(
                _("Household %(pk)s was merged into household %(into)s: erase that one, which erases this one with it.")
                % {"pk": household.pk, "into": household.merged_into_id},
                code="household_merged",
            )
        ]
    ids = [record.pk for record in erasure_records(household)]
    blockers = []
    open_orders = (
        DeliveryOrder.objects.filter(household_id__in=ids)
        .exclude(status__in=FINAL_ORDER_STATUSES)
        .order_by("due_date", "pk")
    )
    for order in open_orders:
        blockers.append(
            ValidationError(
                _("Order %(order)s for %(date)s is “%(status)s”: deliver or cancel it first.")
                % {"order": order.pk, "date": day_text(order.due_date), "status": order.get_status_display()},
                code="order_open",
            )
        )
    for aid_request in AidRequest.objects.filter(household_id__in=ids, status__in=AidRequest.OPEN_STATUSES):
        blockers.append(
            ValidationError(
                _("Request %(reference)s is still “%(status)s”: decide it or close it first.")
                % {"reference": aid_request.reference, "status": aid_request.get_status_display()},
                code="request_open",
            )
        )
    today = timezone.localdate()
    plans = AidPlan.objects.filter(request__household_id__in=ids, request__status=AidRequest.Status.APPROVED)
    for plan in plans.select_related("request").order_by("pk"):
        if _plan_still_orders(plan, today):
            blockers.append(
                ValidationError(
                    _("The aid plan of %(reference)s still makes deliveries: pause it or let it end first.")
                    % {"reference": plan.request.reference},
                    code="plan_still_delivering",
                )
            )
    return blockers


def _household_values(erased: str) -> dict:
    return {
        "given_name": erased,
        "family_name": "",
        "birth_date": None,
        "sex": "",
        "nationality": "",
        "document_type": DocumentType.NONE,
        "document_number": "",
        "phone": "",
        "email": "",
        "address": "",
        "latitude": None,
        "longitude": None,
        "access_notes": "",
        "vulnerabilities": [],
        "reduced_mobility": False,
        "diets": [],
        "preferred_days": [],
        "preferred_from": None,
        "preferred_until": None,
        "same_driver": False,
    }


def _ids_ever(model, **where) -> set[int]:
    """Rows that belong, or once belonged (before a merge moved them), to the erased records."""
    now = set(model.objects.filter(**where).values_list("pk", flat=True))
    return now | set(model.history.filter(**where).values_list("id", flat=True))


def _proof_files(stops) -> list[tuple]:
    files = []
    for stop in stops.exclude(signature="", photo=""):
        for field_file in (stop.signature, stop.photo):
            if field_file.name:
                files.append((field_file.storage, field_file.name))
    return files


def _files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def household_erase(*, actor, household: Household, reason: str) -> ErasureResult:
    """Overwrite the personal data of the household (and records merged into it) everywhere, history included,
    keeping the figures and a history row saying who erased it, when and why; refused while aid is under way."""
    if not actor.has_perms(ERASE_PERMISSIONS):
        raise PermissionDenied(_("Only a manager may erase a household's personal data."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the data is erased, for example the person's request and its date."),
                    code="reason_missing",
                )
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Keep the reason to %(limit)s characters at most (it has %(count)s).")
                    % {"limit": REASON_MAX_LENGTH, "count": len(reason)},
                    code="reason_too_long",
                )
            }
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    refusals = _erasure_refusals(household)
    if refusals:
        raise ValidationError([*refusals, ValidationError(_("Nothing was erased."), code="nothing_erased")])

    records = erasure_records(household)
    ids = [record.pk for record in records]
    erased = erased_placeholder()
    household_values = _household_values(erased)
    for record in records:
        for name, value in household_values.items():
            setattr(record, name, value)
        record_as(record, actor=actor, reason=reason)
        record.save(update_fields=list(household_values))
    history_rows = Household.history.filter(id__in=ids).update(**household_values)

    member_ids = _ids_ever(HouseholdMember, household_id__in=ids)
    member_values = {"given_name": erased, "family_name": "", "birth_date": None, "sex": "", "nationality": ""}
    HouseholdMember.objects.filter(pk__in=member_ids).update(**member_values)
    history_rows += HouseholdMember.history.filter(id__in=member_ids).update(**member_values)

    request_ids = _ids_ever(AidRequest, household_id__in=ids)
    request_values = {
        "contact": "",
        "description": "",
        "information_needed": "",
        # A rejection keeps its code for the figures; its text goes (the database wants one: the placeholder).
        "rejection_reason": Case(When(rejection_reason="", then=Value("")), default=Value(erased)),
    }
    AidRequest.objects.filter(pk__in=request_ids).update(**request_values)
    history_rows += AidRequest.history.filter(id__in=request_ids).update(**request_values)

    plan_ids = _ids_ever(AidPlan, request_id__in=request_ids)
    plan_values = {"notes": "", "prescription_ref": "", "pause_reason": ""}
    AidPlan.objects.filter(pk__in=plan_ids).update(**plan_values)
    history_rows += AidPlan.history.filter(id__in=plan_ids).update(**plan_values)

    RequestMessage.objects.filter(request_id__in=request_ids).update(sender="", body=erased)
    Notification.objects.filter(request_id__in=request_ids).update(recipient="", body=erased, last_error="")
    DeliveryOrder.objects.filter(household_id__in=ids).update(collected_by="", notes="")
    history_rows += DeliveryOrder.history.filter(household_id__in=ids).update(collected_by="", notes="")
    stops = Stop.objects.filter(order__household_id__in=ids)
    files = _proof_files(stops)
    order_ids = list(DeliveryOrder.objects.filter(household_id__in=ids).values_list("id", flat=True))
    stops.update(received_by="", signature="", photo="")
    # A stop's history keeps who received the aid (the proof files are not in it), including stops since deleted.
    history_rows += Stop.history.filter(order_id__in=order_ids).update(received_by="")
    # A resolved concern must say what was done (the database checks it): its words become the placeholder.
    WelfareConcern.objects.filter(household_id__in=ids).update(
        text=erased,
        action_taken=Case(When(action_taken="", then=Value("")), default=Value(erased)),
        closing_note=Case(When(closing_note="", then=Value("")), default=Value(erased)),
    )
    # A status page link opens a page with the first name: it goes.
    StatusLink.objects.filter(request_id__in=request_ids).delete()
    SatisfactionSurvey.objects.filter(Q(order__household_id__in=ids) | Q(request__household_id__in=ids)).update(
        comment=""
    )
    # The admin's log names the objects it changed: the holder's and members' names.
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Household), object_id__in=[str(pk) for pk in ids])
        | Q(
            content_type=ContentType.objects.get_for_model(HouseholdMember),
            object_id__in=[str(pk) for pk in member_ids],
        )
    ).update(object_repr=erased)

    # Files go only once the rows no longer point at them; a rolled-back erasure keeps them.
    transaction.on_commit(lambda: _files_delete(files))
    logger.info("%s erased the personal data of household %s and %s merged into it", actor, household.pk, len(ids) - 1)
    return ErasureResult(
        households=len(ids),
        members=len(member_ids),
        requests=len(request_ids),
        history_rows=history_rows,
        files=len(files),
    )
