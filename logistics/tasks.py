from celery import shared_task
from django.utils import timezone

from logistics.services import orders_create_recurring
from logistics.surveys import surveys_send_for_day


@shared_task
def orders_create_recurring_task() -> int:
    """Daily from beat: the next orders of recurring aid plans; returns how many were made."""
    return len(orders_create_recurring())


@shared_task
def surveys_send_task() -> int:
    """Every evening from beat: the satisfaction survey to the day's households; returns how many were sent."""
    return surveys_send_for_day(timezone.localdate())
