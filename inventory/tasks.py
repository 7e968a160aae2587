import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.db import IntegrityError, OperationalError

from inventory.alerts import alerts_refresh
from inventory.budgets import budget_alerts_refresh


@shared_task(autoretry_for=(IntegrityError, OperationalError), retry_backoff=True, max_retries=3)
def alerts_refresh_task(today: str | None = None) -> dict[str, int]:
    """Recompute the stock alerts (daily from beat, or on demand); safe to run twice. `today` is an ISO date."""
    result = alerts_refresh(today=dt.date.fromisoformat(today) if today else None)
    return asdict(result)


@shared_task(autoretry_for=(IntegrityError, OperationalError), retry_backoff=True, max_retries=3)
def budget_alerts_refresh_task(today: str | None = None) -> dict[str, int]:
    """Raise, update or resolve the budget alerts of the year (daily from beat); safe to run twice."""
    result = budget_alerts_refresh(today=dt.date.fromisoformat(today) if today else None)
    return asdict(result)
