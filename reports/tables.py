"""The tables of the manager's page: the page shows them and the export writes them, so a file holds exactly what
the page shows."""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from delivery.surveys import SCORE_LABELS, SCORES
from reports.metrics import LATEST_COMMENTS, ManagerFigures, Satisfaction, share, short_date, span_days, span_hours


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]  # str, int, float, date or None (no value) in each cell
    note: str = ""

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """(text, numeric) for each cell, as the page prints it in the reader's language."""
        return [
            [(_display(cell), column.numeric) for cell, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


def _display(cell) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, dt.date):
        return short_date(cell)
    if isinstance(cell, float):
        return formats.number_format(cell, use_l10n=True)
    return str(cell)


def figures_tables(figures: ManagerFigures) -> list[Table]:
    """Every table of the manager's page, in the page's order."""
    count_column = Column(_("Requests"), numeric=True)
    share_column = Column(_("Share (%)"), numeric=True)
    return [
        Table(
            "summary",
            _("Summary"),
            (Column(_("Figure")), Column(_("Value"), numeric=True)),
            (
                (_("First day"), figures.period.first),
                (_("Last day"), figures.period.last),
                (_("Zone"), figures.zone.name if figures.zone else _("All zones")),
                (_("Requests received"), figures.requests),
                (_("Deliveries"), figures.delivered),
                (_("Delivered at the door"), figures.delivered_at_door),
                (_("Collected at the depot"), figures.collected),
                (_("Failed visits"), figures.failed),
                (_("Failure rate (%)"), figures.failure_rate),
                (_("Rounds driven (all zones)"), figures.rounds),
                (_("Km driven (all zones)"), figures.km),
                (_("Km per delivery (all zones)"), figures.km_per_delivery),
                (_("Households served (unduplicated)"), figures.households),
                (_("People in the households served"), figures.people),
                (_("Packs delivered"), figures.packs_delivered),
            ),
        ),
        Table(
            "by_week",
            _("Requests by week"),
            (Column(_("ISO week")), Column(_("From")), Column(_("To")), count_column),
            tuple((week.iso_week, week.first, week.last, week.count) for week in figures.by_week),
            _("The first and last weeks count only the days inside the period."),
        ),
        Table(
            "by_channel",
            _("Requests by channel"),
            (Column(_("Channel")), count_column, share_column),
            tuple((row.label, row.count, share(row.count, figures.requests)) for row in figures.by_channel),
        ),
        Table(
            "by_zone",
            _("Requests by zone"),
            (Column(_("Zone")), count_column, share_column),
            tuple((row.label, row.count, share(row.count, figures.requests)) for row in figures.by_zone),
        ),
        Table(
            "times",
            _("Time to decision and delivery"),
            (
                Column(_("Measure")),
                count_column,
                Column(_("Median (hours)"), numeric=True),
                Column(_("90th percentile (hours)"), numeric=True),
                Column(_("Median (days)"), numeric=True),
                Column(_("90th percentile (days)"), numeric=True),
            ),
            tuple(
                (label, durations.count, span_hours(durations.median), span_hours(durations.p90))
                + (span_days(durations.median), span_days(durations.p90))
                for label, durations in (
                    (_("Received → decided"), figures.to_decision),
                    (_("Received → first delivery"), figures.to_delivery),
                )
            ),
            _(
                "Decisions made in the period (approved, rejected or referred); first deliveries made in the period. "
                "Nine requests in ten took at most the 90th percentile."
            ),
        ),
        Table(
            "per_day",
            _("Deliveries per day"),
            (
                Column(_("Day")),
                Column(_("Delivered"), numeric=True),
                Column(_("Not delivered"), numeric=True),
                Column(_("Failure rate (%)"), numeric=True),
                Column(_("Collected at the depot"), numeric=True),
            ),
            tuple(
                (day.day, day.delivered, day.failed, day.failure_rate, day.collected)
                for day in figures.visits
                if day.delivered or day.failed or day.collected
            ),
            _("Days without any recorded visit or collection are left out. The failure rate is of visits at the door."),
        ),
        Table(
            "failure_reasons",
            _("Why deliveries failed"),
            (Column(_("Reason")), Column(_("Visits"), numeric=True), share_column),
            tuple((row.label, row.count, share(row.count, figures.failed)) for row in figures.failure_reasons),
        ),
        Table(
            "packs",
            _("Packs delivered"),
            (Column(_("Code")), Column(_("Pack")), Column(_("Quantity"), numeric=True)),
            tuple((pack.code, pack.label, quantity) for pack, quantity in figures.packs),
        ),
        *_satisfaction_tables(figures.satisfaction),
        Table(
            "cover",
            _("Stock cover"),
            (
                Column(_("SKU")),
                Column(_("Item")),
                Column(_("Warehouse")),
                Column(_("On hand"), numeric=True),
                Column(_("Days of cover"), numeric=True),
                Column(_("Runs out on")),
            ),
            tuple(
                (row.item.sku, row.item.label, row.warehouse.name, row.on_hand, row.days_of_cover, row.runs_out_on)
                for row in figures.cover
            ),
            _("From today, whatever the period: on hand over the average daily demand forecast. No demand: no figure."),
        ),
    ]


def _satisfaction_tables(satisfaction: Satisfaction) -> list[Table]:
    answers_column = Column(_("Answers"), numeric=True)
    return [
        Table(
            "satisfaction",
            _("Satisfaction"),
            (Column(_("Figure")), Column(_("Value"), numeric=True)),
            (
                (_("Surveys sent"), satisfaction.sent),
                (_("Surveys answered"), satisfaction.answered),
                (_("Response rate (%)"), satisfaction.response_rate),
                (_("Average score (1 to 5)"), satisfaction.average_score),
                (_("Arrived in the time we gave (%)"), satisfaction.on_time_share),
            ),
            _("Surveys sent in the period and their answers so far. On time: answers after a delivery at the door."),
        ),
        Table(
            "scores",
            _("Satisfaction scores"),
            (Column(_("Score")), answers_column, Column(_("Share (%)"), numeric=True)),
            tuple(
                (f"{score} · {SCORE_LABELS[score]}", count, share(count, satisfaction.answered))
                for score, count in zip(SCORES, satisfaction.scores, strict=True)
            )
            if satisfaction.answered
            else (),
        ),
        Table(
            "comments",
            _("Latest comments"),
            (Column(_("Answered on")), Column(_("Score"), numeric=True), Column(_("On time")), Column(_("Comment"))),
            tuple(
                (comment.answered_on, comment.score, _yes_no(comment.on_time), comment.text)
                for comment in satisfaction.comments
            ),
            _("The latest %(count)s comments, as the requesters wrote them.") % {"count": LATEST_COMMENTS},
        ),
    ]


def _yes_no(answer: bool | None) -> str | None:
    return None if answer is None else _("Yes") if answer else _("No")
