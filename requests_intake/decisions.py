"""The social worker's decisions on a request, and the life of the aid plan that an approval starts."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.dates import day_text
from core.events import emit
from inventory.limits import MAX_PACKS_PER_PLAN_LINE
from inventory.models import Pack
from requests_intake.models import AidPlan, AidPlanLine, AidRequest, Need, Notification, Pharmacy, RejectionCode
from requests_intake.notifications import notification_create
from requests_intake.selectors import household_deliveries_on

MAX_REPEAT_DAYS = 90


def _lock_open(request: AidRequest) -> AidRequest:
    request = AidRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(
            _("Request %(reference)s was already decided (%(status)s); nothing was changed.")
            % {"reference": request.reference, "status": request.get_status_display()},
            code="already_decided",
        )
    return request


def _decided(request: AidRequest, actor, status: str, **fields) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "decided_by", "decided_at", *fields])
    emit("request.decided", {"request": request.pk, "reference": request.reference, "status": status})


def _plan_lines(packs: list[tuple]) -> list[tuple[Pack, int, int]]:
    """(pack, quantity[, every_nth]) → (pack, quantity, every_nth), refusing impossible values."""
    lines = []
    for entry in packs:
        pack, quantity, every_nth = (*entry, 1) if len(entry) == 2 else entry
        if not quantity:
            continue
        if quantity < 0 or every_nth < 1:
            raise ValidationError(_("Pack quantities cannot be negative; nothing was saved."), code="negative_quantity")
        if quantity > MAX_PACKS_PER_PLAN_LINE:
            raise ValidationError(
                _("At most %(max)s × %(pack)s per delivery; got %(quantity)s. Nothing was saved.")
                % {"max": MAX_PACKS_PER_PLAN_LINE, "pack": pack.label, "quantity": quantity},
                code="quantity_too_large",
            )
        lines.append((pack, quantity, every_nth))
    if not lines:
        raise ValidationError(_("An approval needs at least one pack; nothing was saved."), code="no_packs")
    return lines


@transaction.atomic
def aid_request_approve(
    *,
    actor,
    request: AidRequest,
    packs: list[tuple],
    priority: int,
    first_delivery_on: dt.date,
    notes: str = "",
    repeat_every_days: int | None = None,
    repeat_until: dt.date | None = None,
    valid_until: dt.date | None = None,
    pharmacy: Pharmacy | None = None,
    prescription_ref: str = "",
    pickup: bool = False,
    same_day_confirmed: bool = False,
) -> AidPlan:
    """Approve with an aid plan, create its first delivery order and reserve the stock for it. A first delivery on
    a day the household already gets aid (an open order, a recurring plan) is refused unless `same_day_confirmed`.

    `packs` lists (pack, quantity) or (pack, quantity, every_nth). A recurring plan (`repeat_every_days`) gets
    its later orders from `orders_create_recurring`, day by day, until `repeat_until` or `valid_until`."""
    request = _lock_open(request)
    lines = _plan_lines(packs)
    if first_delivery_on < timezone.localdate():
        raise ValidationError(
            _("The first delivery cannot be in the past; nothing was saved."), code="first_delivery_in_past"
        )
    if repeat_every_days is not None and not 1 <= repeat_every_days <= MAX_REPEAT_DAYS:
        raise ValidationError(
            {
                "repeat_every_days": ValidationError(
                    _("Repeat every 1 to 90 days, or leave it empty for a single delivery."),
                    code="bad_repeat_every_days",
                )
            }
        )
    if repeat_until is not None and (repeat_every_days is None or repeat_until < first_delivery_on):
        raise ValidationError(
            {
                "repeat_until": ValidationError(
                    _("“Repeat until” needs a repetition and a date after the first delivery."), code="bad_repeat_until"
                )
            }
        )
    if valid_until is not None and valid_until < first_delivery_on:
        raise ValidationError(
            {
                "valid_until": ValidationError(
                    _("Eligibility must last at least until the first delivery."),
                    code="valid_until_before_first_delivery",
                )
            }
        )
    if (pharmacy or prescription_ref) and Need.MEDICATION not in request.needs:
        raise ValidationError(
            {
                "pharmacy": ValidationError(
                    _("A pharmacy is recorded only for a request that needs medication."),
                    code="pharmacy_without_medication",
                )
            }
        )
    already = household_deliveries_on(request.household, first_delivery_on)
    if already and not same_day_confirmed:
        raise ValidationError(
            {
                "first_delivery_on": ValidationError(
                    _(
                        "The household already gets aid on %(date)s (%(references)s). Choose another day, or tick "
                        "“Deliver the same day anyway”; nothing was saved."
                    ),
                    code="same_day_delivery",
                    params={"date": day_text(first_delivery_on), "references": ", ".join(already)},
                )
            }
        )

    plan = AidPlan.objects.create(
        request=request,
        priority=priority,
        first_delivery_on=first_delivery_on,
        repeat_every_days=repeat_every_days,
        repeat_until=repeat_until,
        valid_until=valid_until,
        pharmacy=pharmacy,
        prescription_ref=prescription_ref.strip(),
        pickup=pickup,
        notes=notes,
    )
    bulk_create_with_history(
        [
            AidPlanLine(plan=plan, pack=pack, quantity=quantity, every_nth=every_nth)
            for pack, quantity, every_nth in lines
        ],
        AidPlanLine,
        default_user=actor,
    )
    _decided(request, actor, AidRequest.Status.APPROVED)

    from logistics.services import order_create_for_plan

    order_create_for_plan(plan=plan)
    notification_create(request=request, event=Notification.Event.APPROVED)
    return plan


@transaction.atomic
def aid_request_reject(*, actor, request: AidRequest, reason: str, code: str = RejectionCode.OTHER) -> AidRequest:
    """Reject with a reason code and the words the requester will be told."""
    request = _lock_open(request)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("A rejection needs a reason; nothing was saved."), code="reason_missing")}
        )
    if code not in RejectionCode.values:
        raise ValidationError(
            {"code": ValidationError(_("Choose why the request is rejected."), code="bad_rejection_code")}
        )
    _decided(request, actor, AidRequest.Status.REJECTED, rejection_code=code, rejection_reason=reason)
    notification_create(request=request, event=Notification.Event.REJECTED, reason=reason)
    return request


@transaction.atomic
def aid_request_refer(*, actor, request: AidRequest, to: str) -> AidRequest:
    """Send the household to a service better placed to help; the request closes here."""
    request = _lock_open(request)
    to = to.strip()
    if not to:
        raise ValidationError(
            {"to": ValidationError(_("Say where the household is referred to."), code="referral_missing")}
        )
    _decided(request, actor, AidRequest.Status.REFERRED, referred_to=to)
    notification_create(request=request, event=Notification.Event.REFERRED, to=to)
    return request


@transaction.atomic
def aid_request_ask_information(*, actor, request: AidRequest, what: str) -> AidRequest:
    """Put the request on hold until the requester sends what is missing; they are told what it is."""
    request = _lock_open(request)
    what = what.strip()
    if not what:
        raise ValidationError(
            {"what": ValidationError(_("Say what information is needed."), code="information_missing")}
        )
    request.status = AidRequest.Status.MORE_INFO
    request.information_needed = what
    request.save(update_fields=["status", "information_needed"])
    notification_create(request=request, event=Notification.Event.MORE_INFO, what=what)
    return request


@transaction.atomic
def aid_request_resume(*, actor, request: AidRequest) -> AidRequest:
    """The information arrived (by phone, in person): the request goes back to the queue."""
    request = AidRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AidRequest.Status.MORE_INFO:
        raise ValidationError(
            _("Only a request waiting for information can go back to assessment."), code="not_waiting_for_information"
        )
    request.status = AidRequest.Status.IN_ASSESSMENT
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def plan_pause(*, actor, plan: AidPlan, reason: str) -> AidPlan:
    """Stop making orders for a recurring plan (the family is away, in hospital) without closing the case."""
    plan = AidPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.paused_at is not None:
        raise ValidationError(_("This plan is already paused."), code="plan_already_paused")
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("Say why the plan is paused."), code="reason_missing")})
    plan.paused_at = timezone.now()
    plan.pause_reason = reason.strip()
    plan.save(update_fields=["paused_at", "pause_reason"])
    return plan


@transaction.atomic
def plan_resume(*, actor, plan: AidPlan) -> AidPlan:
    """Orders start again from the next delivery date; the weeks missed are not made up."""
    plan = AidPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.paused_at is None:
        raise ValidationError(_("This plan is not paused."), code="plan_not_paused")
    plan.paused_at = None
    plan.pause_reason = ""
    plan.save(update_fields=["paused_at", "pause_reason"])
    return plan


@transaction.atomic
def plan_renew(*, actor, plan: AidPlan, valid_until: dt.date) -> AidPlan:
    """Eligibility reviewed and extended: the plan goes on to the new date."""
    plan = AidPlan.objects.select_for_update().get(pk=plan.pk)
    if valid_until <= timezone.localdate():
        raise ValidationError(
            {
                "valid_until": ValidationError(
                    _("The new end of eligibility must be in the future."), code="valid_until_not_future"
                )
            }
        )
    plan.valid_until = valid_until
    plan.review_reminded_on = None
    plan.save(update_fields=["valid_until", "review_reminded_on"])
    return plan


@transaction.atomic
def plan_stop_repeating(*, actor, plan: AidPlan) -> AidPlan:
    """No more orders are made from the plan after today (its open orders are the caller's: logistics.changes)."""
    plan = AidPlan.objects.select_for_update().get(pk=plan.pk)
    today = timezone.localdate()
    if plan.repeat_until is None or plan.repeat_until > today:
        plan.repeat_until = today
        plan.save(update_fields=["repeat_until"])
    return plan
