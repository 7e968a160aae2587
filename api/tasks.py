from celery import shared_task

from api.models import WebhookDelivery
from api.webhooks import retry_wait, webhook_send


@shared_task(bind=True, max_retries=None)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """Send one logged delivery; while it stays pending, try again after the delivery's backoff wait."""
    delivery = webhook_send(delivery_id)
    if delivery.status == WebhookDelivery.Status.PENDING and not self.request.is_eager:
        raise self.retry(countdown=retry_wait(delivery.attempts))
    return delivery.status
