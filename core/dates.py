"""Dates as Reparto writes them in messages, sheets and logs: day/month/year, in every interface language.

Spanish and Catalan write 26/11/2026. English keeps the same order rather than Django's English SHORT_DATE_FORMAT
(11/26/2026): the people reading Reparto in English work beside colleagues reading Spanish paperwork for the same
Spanish households, and a day written two ways (05/12 as 5 December and as May 12) is a delivery on the wrong day.
Long dates with month names stay with Django's per-language formats (`core.templatetags.dates.long_date`)."""

import datetime as dt

from django.utils import timezone

DAY_FORMAT = "%d/%m/%Y"
MOMENT_FORMAT = "%d/%m/%Y %H:%M"


def day_text(value: dt.date | dt.datetime) -> str:
    """26/11/2026; an aware date and time gives its local day."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(DAY_FORMAT)


def moment_text(value: dt.datetime) -> str:
    """26/11/2026 17:05 in local time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(MOMENT_FORMAT)
