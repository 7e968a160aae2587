"""Conversation figures for the manager: how soon staff first answer a person who wrote (Sevilla's seed answers
WhatsApp "en torno a un minuto"), per conversation turn.

A turn opens with a person's message that nobody has answered since their previous one, and ends at the first
reply a member of staff wrote. One-word replies that acted by themselves (SÍ, NO that moved the order, BAJA,
ALTA) open no turn: nobody had to answer them. Automatic notifications are not answers."""

import datetime as dt
import statistics
from dataclasses import dataclass
from itertools import groupby

from reports.metrics import Period
from requests_intake.models import KeywordAction, RequestMessage, Zone

# Keyword replies that needed nobody: the answer went out by itself.
_SELF_ANSWERED = (KeywordAction.CONFIRMED, KeywordAction.MOVED, KeywordAction.OPTED_OUT, KeywordAction.OPTED_IN)
# "Answered within the hour": the line the figure reports beside the median.
PROMPT = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ResponseFigures:
    turns: int  # turns opened in the period
    answered: int  # of them, answered by staff (so far)
    median_minutes: int | None  # first-response time of the answered turns
    within_hour: int  # answered within PROMPT

    @property
    def unanswered(self) -> int:
        return self.turns - self.answered

    @property
    def within_hour_percent(self) -> int | None:
        return round(100 * self.within_hour / self.turns) if self.turns else None


def _waits(messages: list[tuple[str, int | None, str, dt.datetime]], start: dt.datetime, end: dt.datetime):
    """The first-response time of each turn of one household's messages (None: not answered yet)."""
    opened = None
    waits = []
    for direction, author_id, action, at in messages:
        if direction == RequestMessage.Direction.INBOUND:
            if opened is None and action not in _SELF_ANSWERED and start <= at < end:
                opened = at
        elif author_id is not None and opened is not None:
            waits.append(at - opened)
            opened = None
    if opened is not None:
        waits.append(None)
    return waits


def response_figures(*, period: Period, zone: Zone | None = None) -> ResponseFigures:
    """Turns opened in the period (in the household's zone, when given) and how soon staff first answered each,
    in one query; a reply after the period still counts for a turn opened in it."""
    start, end = period.bounds()
    messages = RequestMessage.objects.filter(created_at__gte=start)
    if zone is not None:
        messages = messages.filter(request__household__zone=zone)
    rows = messages.order_by("request__household", "created_at", "pk").values_list(
        "request__household", "direction", "author", "action", "created_at"
    )
    waits = []
    for _household, own in groupby(rows, key=lambda row: row[0]):
        waits += _waits([row[1:] for row in own], start, end)
    answered = [wait for wait in waits if wait is not None]
    return ResponseFigures(
        turns=len(waits),
        answered=len(answered),
        median_minutes=round(statistics.median(answered).total_seconds() / 60) if answered else None,
        within_hour=sum(1 for wait in answered if wait <= PROMPT),
    )
