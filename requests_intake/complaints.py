"""The register of complaints, suggestions, claims and thanks: received from the public form, the status page or
staff, each with a due date for its answer; managers answer them and read how many were answered on time."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_intake.models import AidRequest, Complaint, Household

# The law gives twenty business days to answer; four calendar weeks is the same in a normal month.
DEFAULT_ANSWER_DAYS = 28
TEXT_MAX_CHARS = 2000
CONTACT_MAX_CHARS = Complaint._meta.get_field("contact").max_length
ANSWER_PERMISSION = "requests_intake.change_complaint"


def answer_days() -> int:
    """COMPLAINT_ANSWER_DAYS (calendar days) when a deployment sets it."""
    return getattr(settings, "COMPLAINT_ANSWER_DAYS", DEFAULT_ANSWER_DAYS)


def _checked_text(text: str, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: ValidationError(missing, code=f"{field}_missing")})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Keep it under %(limit)s characters (it has %(count)s); nothing was saved.")
                    % {"limit": TEXT_MAX_CHARS, "count": len(text)},
                    code="too_long",
                )
            }
        )
    return text


@transaction.atomic
def complaint_receive(
    *,
    source: str,
    category: str,
    text: str,
    household: Household | None = None,
    request: AidRequest | None = None,
    contact: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Register what someone told us, due for an answer in `answer_days()`; refused with a code on bad input."""
    if source not in Complaint.Source.values:
        raise ValidationError(_("There is no source “%(source)s”.") % {"source": source}, code="bad_source")
    if category not in Complaint.Category.values:
        raise ValidationError({"category": ValidationError(_("Choose a category from the list."), code="bad_category")})
    text = _checked_text(text, "text", _("Write what you want to tell us; nothing was saved."))
    contact = (contact or "").strip()
    if len(contact) > CONTACT_MAX_CHARS:
        raise ValidationError(
            {"contact": ValidationError(_("The contact is too long; nothing was saved."), code="contact_too_long")}
        )
    received_at = now or timezone.now()
    return Complaint.objects.create(
        source=source,
        category=category,
        text=text,
        household=household,
        request=request,
        contact=contact,
        received_at=received_at,
        due_date=timezone.localdate(received_at) + dt.timedelta(days=answer_days()),
        recorded_by=actor,
    )


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answer: str) -> Complaint:
    """Record the answer given, once; the date it was given is what the figures compare with the due date."""
    if not actor.has_perm(ANSWER_PERMISSION):
        raise ValidationError(_("You may not answer complaints; nothing was saved."), code="answer_not_allowed")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.answered_at is not None:
        raise ValidationError(_("This was already answered; nothing was changed."), code="already_answered")
    complaint.answer = _checked_text(answer, "answer", _("Write the answer; nothing was saved."))
    complaint.answered_at, complaint.answered_by = timezone.now(), actor
    complaint.save(update_fields=["answer", "answered_at", "answered_by"])
    return complaint


def complaints_open() -> QuerySet[Complaint]:
    """Not yet answered, the first due on top."""
    return Complaint.objects.filter(answered_at__isnull=True).select_related("household").order_by("due_date", "pk")


def complaints_answered(*, limit: int = 20) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(answered_at__isnull=False)
        .select_related("household", "answered_by")
        .order_by("-answered_at")[:limit]
    )


@dataclass(frozen=True)
class ComplaintFigures:
    by_category: tuple[tuple[str, int], ...]  # (label, count), every category, in the list's order
    received: int
    answered: int
    answered_on_time: int
    overdue: int  # still open after their due date

    @property
    def on_time_percent(self) -> int | None:
        """Share of the answered ones answered by their due date; None before any answer."""
        return round(100 * self.answered_on_time / self.answered) if self.answered else None


def complaint_figures(*, first: dt.date, last: dt.date, today: dt.date | None = None) -> ComplaintFigures:
    """What was received between `first` and `last` (both included): by category, and how it was answered."""
    today = today or timezone.localdate()
    rows = list(
        Complaint.objects.filter(received_at__date__gte=first, received_at__date__lte=last).values_list(
            "category", "due_date", "answered_at"
        )
    )
    counts = {value: 0 for value in Complaint.Category.values}
    answered = on_time = overdue = 0
    for category, due_date, answered_at in rows:
        counts[category] += 1
        if answered_at is not None:
            answered += 1
            on_time += timezone.localdate(answered_at) <= due_date
        elif due_date < today:
            overdue += 1
    labels = dict(Complaint.Category.choices)
    return ComplaintFigures(
        by_category=tuple((labels[value], counts[value]) for value in Complaint.Category.values),
        received=len(rows),
        answered=answered,
        answered_on_time=on_time,
        overdue=overdue,
    )
