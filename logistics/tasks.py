from celery import shared_task

from logistics.services import orders_create_recurring


@shared_task
def orders_create_recurring_task() -> int:
    """Daily from beat: the next orders of recurring aid plans; returns how many were made."""
    return len(orders_create_recurring())
