from celery import shared_task

from requests_intake.notifications import notification_deliver


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=8)
def notification_send(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)
