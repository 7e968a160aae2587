"""The satisfaction survey sent after a hand-over, and the requester's one answer to it.

The link carries a long random token instead of a sign-in, so the page behind it shows nothing personal: only the
day of the delivery. One survey per delivered order; it is answered once."""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import day_text
from delivery.models import SatisfactionSurvey, Stop
from logistics.models import DeliveryOrder
from requests_intake.models import AidRequest, Notification
from requests_intake.notifications import notification_address, notification_create

logger = logging.getLogger(__name__)

SCORES = range(1, 6)
SCORE_LABELS = {
    1: gettext_lazy("Very bad"),
    2: gettext_lazy("Bad"),
    3: gettext_lazy("Fair"),
    4: gettext_lazy("Good"),
    5: gettext_lazy("Very good"),
}
COMMENT_MAX_LENGTH = SatisfactionSurvey._meta.get_field("comment").max_length


def survey_link(survey: SatisfactionSurvey) -> str:
    """The address the requester opens, on the public site."""
    return settings.SITE_URL.rstrip("/") + reverse("survey_answer", kwargs={"token": survey.token})


# A household is asked at most once in this many days, however often aid arrives.
SURVEY_EVERY_DAYS = 30


# Decisions that end a request without a delivery: the person is asked about the service all the same.
DECISIONS_SURVEYED = (AidRequest.Status.REJECTED, AidRequest.Status.REFERRED, AidRequest.Status.INFO_ONLY)


def _asked_lately(household_id: int) -> bool:
    """Whether the household was sent any survey (after a delivery or a decision) in the last SURVEY_EVERY_DAYS."""
    since = timezone.now() - dt.timedelta(days=SURVEY_EVERY_DAYS)
    return SatisfactionSurvey.objects.filter(
        models.Q(order__household_id=household_id) | models.Q(request__household_id=household_id), sent_at__gte=since
    ).exists()


@transaction.atomic
def survey_send_after_decision(*, request: AidRequest) -> SatisfactionSurvey | None:
    """Ask a requester whose request ended without a delivery (rejected, referred, answered at intake) how they were
    served, once per request and at most once a month per household; None when not sent."""
    request = AidRequest.objects.select_for_update().select_related("household").get(pk=request.pk)
    existing = SatisfactionSurvey.objects.filter(request=request).first()
    if existing is not None:
        return existing
    if request.status not in DECISIONS_SURVEYED:
        raise ValidationError(
            _("Request %(reference)s is “%(status)s”: a survey follows a rejection, a referral or an answer at intake.")
            % {"reference": request.reference, "status": request.get_status_display()},
            code="not_decided",
        )
    if _asked_lately(request.household_id):
        return None
    _channel, recipient = notification_address(request)
    if not recipient:
        logger.info("no survey for request %s: no phone or e-mail", request.reference)
        return None
    survey = SatisfactionSurvey.objects.create(request=request, token=secrets.token_urlsafe(32))
    notification_create(request=request, event=Notification.Event.SURVEY, link=survey_link(survey), after_decision=True)
    return survey


@transaction.atomic
def survey_send(*, order: DeliveryOrder) -> SatisfactionSurvey | None:
    """Ask the requester of a delivered order how it went, once: a second call returns the first survey and sends
    nothing. None when there is no phone or e-mail to send it to, or the household was asked in the last month."""
    # Locking the order makes two hand-over callbacks racing for the same order send one survey, not two.
    order = DeliveryOrder.objects.select_for_update().select_related("plan__request__household").get(pk=order.pk)
    existing = SatisfactionSurvey.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.status != DeliveryOrder.Status.DELIVERED:
        raise ValidationError(
            _("%(order)s is “%(status)s”, not delivered: a survey is sent only after the hand-over.")
            % {"order": order, "status": order.get_status_display()},
            code="not_delivered",
        )
    if _asked_lately(order.household_id):  # weekly aid would otherwise bring a survey every week
        return None
    request = order.plan.request
    _channel, recipient = notification_address(request)
    if not recipient:
        logger.info("no survey for order %s: request %s has no phone or e-mail", order.pk, request.reference)
        return None
    survey = SatisfactionSurvey.objects.create(order=order, token=secrets.token_urlsafe(32))
    notification_create(request=request, event=Notification.Event.SURVEY, link=survey_link(survey))
    return survey


def survey_for_token(token: str) -> SatisfactionSurvey | None:
    return (
        SatisfactionSurvey.objects.select_related("order__plan__request__household", "request__household")
        .filter(token=token)
        .first()
    )


def survey_request(survey: SatisfactionSurvey) -> AidRequest:
    """The request the survey is about: the delivered order's, or the decided one's."""
    return survey.request if survey.order_id is None else survey.order.plan.request


def survey_language(survey: SatisfactionSurvey) -> str:
    """The language the survey message went out in, so the page reads like the message."""
    request = survey_request(survey)
    return request.language or request.household.language or settings.LANGUAGE_CODE


def survey_delivery_date(survey: SatisfactionSurvey) -> dt.date | None:
    """The day the aid was handed over: collected at the depot, or delivered at the door."""
    order = survey.order
    if order is None:  # after a decision: nothing was handed over
        return None
    if order.collected_at is not None:
        return timezone.localdate(order.collected_at)
    stop = (
        Stop.objects.deliveries()
        .filter(order=order, outcome=Stop.Outcome.DELIVERED)
        .select_related("round")
        .order_by("-round__date")
        .first()
    )
    return stop.round.date if stop else None


def survey_asks_on_time(survey: SatisfactionSurvey) -> bool:
    """Only a delivery at home came in a time window we told the requester about."""
    return survey.order is not None and survey.order.mode == DeliveryOrder.Mode.HOME


@transaction.atomic
def survey_answer(
    *, survey: SatisfactionSurvey, score: int, on_time: bool | None, comment: str = ""
) -> SatisfactionSurvey:
    """Record the requester's answer; a survey already answered, or an answer out of range, changes nothing."""
    survey = SatisfactionSurvey.objects.select_for_update(of=("self",)).select_related("order").get(pk=survey.pk)
    if survey.answered_at is not None:
        raise ValidationError(
            _("This survey was already answered on %(date)s; the first answer is kept.")
            % {"date": day_text(survey.answered_at)},
            code="already_answered",
        )
    if score not in SCORES:
        raise ValidationError(
            {
                "score": ValidationError(
                    _("Choose a score from 1 to 5; %(score)s is not one.") % {"score": score}, code="invalid_score"
                )
            }
        )
    if on_time is None and survey_asks_on_time(survey):
        raise ValidationError(
            {
                "on_time": ValidationError(
                    _("Tell us whether it arrived in the time we gave you: yes or no."), code="on_time_missing"
                )
            }
        )
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("The comment has %(length)s characters; please keep it to %(max)s.")
                    % {"length": len(comment), "max": COMMENT_MAX_LENGTH},
                    code="too_long",
                )
            }
        )
    survey.score = score
    survey.on_time = on_time if survey_asks_on_time(survey) else None
    survey.comment = comment
    survey.answered_at = timezone.now()
    survey.save(update_fields=["score", "on_time", "comment", "answered_at"])
    return survey


def surveys_send_for_day(day: dt.date) -> int:
    """In the evening, ask the households that received aid that day, and those whose request was rejected,
    referred or answered at intake that day; one message a day, not one per delivery on top of the "delivered"
    message, and at most one survey a month per household. Returns how many surveys were sent."""
    delivered_that_day = (
        DeliveryOrder.objects.filter(status=DeliveryOrder.Status.DELIVERED, survey__isnull=True)
        .filter(
            models.Q(stops__outcome=Stop.Outcome.DELIVERED, stops__round__date=day) | models.Q(collected_at__date=day)
        )
        .distinct()
        .order_by("pk")
    )
    sent = sum(1 for order in delivered_that_day if survey_send(order=order) is not None)
    decided_that_day = AidRequest.objects.filter(
        status__in=DECISIONS_SURVEYED, decided_at__date=day, survey__isnull=True
    ).order_by("pk")
    return sent + sum(1 for request in decided_that_day if survey_send_after_decision(request=request) is not None)
