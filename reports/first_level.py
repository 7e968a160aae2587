"""First-level figures for the manager: the share of requests closed at intake (answered, never assessed) and what
they were about, since a pilot of the first level is judged on what it resolves; and the complaints register."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from reports.metrics import Period
from requests_intake.complaints import ComplaintFigures, complaint_figures
from requests_intake.models import AidRequest, Zone


@dataclass(frozen=True)
class FirstLevelFigures:
    received: int  # requests received in the period
    closed: int  # of them, answered and closed at intake
    by_topic: tuple[tuple[str, int], ...]  # (label, count) for every topic, then those closed before topics existed

    @property
    def closed_percent(self) -> int | None:
        return round(100 * self.closed / self.received) if self.received else None


def first_level_figures(*, period: Period, zone: Zone | None = None) -> FirstLevelFigures:
    """Requests received in the period (in the zone, when given) and those closed at intake by topic, in one query."""
    requests = AidRequest.objects.filter(received_at__date__gte=period.first, received_at__date__lte=period.last)
    if zone is not None:
        requests = requests.filter(zone=zone)
    rows = requests.order_by().values_list("status", "first_level_topic").annotate(n=Count("pk"))
    received, closed = 0, {}
    for status, topic, n in rows:
        received += n
        if status == AidRequest.Status.INFO_ONLY:
            closed[topic] = closed.get(topic, 0) + n
    by_topic = [(str(label), closed.get(value, 0)) for value, label in AidRequest.Topic.choices]
    if closed.get(""):
        by_topic.append((_("Not coded"), closed[""]))
    return FirstLevelFigures(received=received, closed=sum(closed.values()), by_topic=tuple(by_topic))


def complaints_in(period: Period) -> ComplaintFigures:
    return complaint_figures(first=period.first, last=period.last)
