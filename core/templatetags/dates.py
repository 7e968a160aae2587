"""Dates written out as people read them: "jueves, 26 de noviembre de 2026" / "Thursday, Nov. 26, 2026"."""

from django import template
from django.utils.formats import date_format

from core.dates import day_text, moment_text

register = template.Library()


@register.filter
def long_date(value) -> str:
    """Weekday and full date in the active language."""
    return f"{date_format(value, 'l')}, {date_format(value, 'DATE_FORMAT')}" if value else ""


@register.filter
def weekday_and_day(value) -> str:
    """Weekday, day and month, for dates this week or next."""
    return f"{date_format(value, 'l')}, {date_format(value, 'MONTH_DAY_FORMAT')}" if value else ""


@register.filter
def day(value) -> str:
    """26/11/2026 in every language: `core.dates.day_text`."""
    return day_text(value) if value else ""


@register.filter
def moment(value) -> str:
    """26/11/2026 17:05 in local time, in every language: `core.dates.moment_text`."""
    return moment_text(value) if value else ""
