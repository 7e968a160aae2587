"""Row ids and days read from query strings and posted forms.

A tampered or absurd value is "not given" (the page's default) or a form error, never a server error: on SQLite a
number past 64 bits makes the query itself fail, and a day near year 1 or 9999 overflows as soon as a page steps a
week from it."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

# The widest id column we use (bigint); SQLite refuses anything larger with an OverflowError.
ID_MAX = 2**63 - 1
# Pages step weeks either way from the day they show; these bounds keep every step a real date.
DAY_MIN = dt.date(2000, 1, 1)
DAY_MAX = dt.date(2999, 12, 31)


def id_param(value) -> int | None:
    """A row id as a query string or form sends it: plain digits within the database's range, else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= ID_MAX else None


def day_param(value, default: dt.date) -> dt.date:
    """A day as YYYY-MM-DD within DAY_MIN..DAY_MAX, else `default`."""
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    return day if day is not None and DAY_MIN <= day <= DAY_MAX else default


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose ids are checked before they reach the database."""

    def _check_values(self, value):
        for pk in value:
            if id_param(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
