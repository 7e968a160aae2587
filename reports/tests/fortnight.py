"""The figures tests' fortnight: its dates and a clock in Madrid time. The `world` and `surveys` fixtures
(conftest.py) fill it with requests, deliveries and surveys whose answers the tests work out by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

from reports.metrics import Period

MADRID = ZoneInfo("Europe/Madrid")
FORTNIGHT = Period(first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 15))  # ISO weeks 10 and 11


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=MADRID)
