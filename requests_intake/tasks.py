from celery import shared_task
from django.conf import settings
from django.utils import timezone

from requests_intake.notifications import notification_deliver, notifications_resume
from requests_intake.providers import ProviderError
from requests_intake.reviews import plans_review_remind


def retry_wait_s(retries_done: int) -> int:
    """Seconds before the next attempt: twice the last wait, at most NOTIFICATION_RETRY_MAX_WAIT_S, so a provider
    back after an outage is tried again soon (defaults: 60 s, 120 s, 240 s, 480 s, then 900 s; 75 minutes in all)."""
    return min(settings.NOTIFICATION_RETRY_BACKOFF_S * 2**retries_done, settings.NOTIFICATION_RETRY_MAX_WAIT_S)


@shared_task(bind=True)
def notification_send(self, notification_id: int) -> None:
    """Send one stored message; a provider that is down is tried again later, then the message is marked FAILED."""
    retries_allowed = settings.NOTIFICATION_MAX_RETRIES
    # Tasks run in-process (no broker) have no "later": the first failure is final and a person resends it.
    last_attempt = self.request.retries >= retries_allowed or bool(self.app.conf.task_always_eager)
    try:
        notification_deliver(notification_id=notification_id, last_attempt=last_attempt)
    except ProviderError as exc:
        raise self.retry(exc=exc, countdown=retry_wait_s(self.request.retries), max_retries=retries_allowed) from exc


@shared_task
def plans_review_remind_task() -> int:
    """Daily from beat: tell social workers which plans of their zones reach the end of their eligibility soon."""
    return plans_review_remind(today=timezone.localdate())


@shared_task
def notifications_resume_task() -> int:
    """Every five minutes from beat: messages stored while the broker was down are sent after all."""
    return notifications_resume()
