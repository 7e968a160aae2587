"""Eligibility expires: remind the zone's social workers, once, to review plans that are about to end."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.dates import day_text
from requests_intake.models import AidPlan, AidRequest

REVIEW_NOTICE_DAYS = 14


@transaction.atomic
def plans_review_remind(*, today: dt.date, within_days: int = REVIEW_NOTICE_DAYS) -> int:
    """Mark each plan ending within `within_days` as reminded and e-mail its zone's social workers one list each.

    A plan is reminded once; renewing it (`plan_renew`) clears the mark so the next end is reminded again."""
    plans = list(
        AidPlan.objects.select_for_update(of=("self",))
        .filter(
            valid_until__isnull=False,
            valid_until__lte=today + dt.timedelta(days=within_days),
            review_reminded_on__isnull=True,
            request__status=AidRequest.Status.APPROVED,
        )
        .select_related("request__household", "request__zone")
        .prefetch_related("request__zone__social_workers")
        .order_by("valid_until", "pk")
    )
    by_worker: dict = defaultdict(list)
    for plan in plans:
        zone = plan.request.zone
        for worker in zone.social_workers.all() if zone else []:
            if worker.email:
                by_worker[worker].append(plan)
    for worker, own in by_worker.items():
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("%(reference)s · %(name)s · eligibility ends %(date)s")
                % {
                    "reference": plan.request.reference,
                    "name": plan.request.household.full_name,
                    "date": day_text(plan.valid_until),
                }
                for plan in own
            ]
            send_mail(
                _("Reparto: %(count)s aid plans to review") % {"count": len(own)},
                "\n".join(lines),
                None,
                [worker.email],
            )
    AidPlan.objects.filter(pk__in=[plan.pk for plan in plans]).update(review_reminded_on=today)
    return len(plans)
