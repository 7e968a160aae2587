"""The council's report for a month or a quarter: unduplicated households and people served, requests by outcome,
deliveries by outcome, packs and money, every figure with its definition beside it.

Definitions (each row of the report repeats the one it uses):
- Served: a household with at least one delivery in the period, at the door (a stop recorded delivered on a round
  dated in the period) or at the depot (an order collected in the period), as on the manager's figures page.
- Unduplicated: each household is counted once however many deliveries it had; each person once, as a member of
  the one household record kept (merged duplicates carry their orders to the record kept).
- People: the persons on record, the holder and each listed member (the figures page counts the declared household
  size instead, which is larger when not every member is listed). Ages are on the period's last day; sex and
  nationality group as recorded on the holder's record and each member's, "not recorded" where left blank.
- A breakdown by a trait a household may have several of (vulnerabilities, programmes) counts a household under
  each of them, so its rows add up to more than the total.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.dates import day_text
from core.pdf import GRID, TITLE, cell, head_cell, heading, pdf_build
from core.sheets import csv_text, xlsx_content
from delivery.models import Stop
from inventory.models import Pack, Programme
from inventory.money import cents, currency, pack_values
from logistics.models import DeliveryOrder, DeliveryOrderLine
from reports.costs import delivered_in, delivery_costs
from reports.metrics import COLLECTED, Period
from requests_intake.models import AidRequest, Household, HouseholdMember
from requests_intake.models.households import DocumentType, NationalityGroup, Sex, Vulnerability
from requests_intake.models.requests import RejectionCode

AGE_BANDS = ((0, 2), (3, 17), (18, 64), (65, None))


@dataclass(frozen=True)
class Row:
    section: str
    figure: str
    households: int | None = None
    people: int | None = None
    count: int | None = None
    amount: Decimal | None = None
    definition: str = ""


@dataclass(frozen=True)
class CouncilReport:
    period: Period
    title: str
    rows: tuple[Row, ...]


def period_parse(*, month: str = "", quarter: str = "") -> tuple[Period, str]:
    """A month (YYYY-MM) or a quarter (YYYY-Qn) as a period and its name; anything else is refused."""
    if bool(month) == bool(quarter):
        raise ValidationError(_("Give a month (YYYY-MM) or a quarter (YYYY-Q1 to Q4)."), code="period_missing")
    if month:
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(
                _("%(value)s is not a month: write it as YYYY-MM, e.g. 2026-03.") % {"value": month},
                code="period_invalid",
            )
        first = dt.date(int(match[1]), int(match[2]), 1)
        months, name = 1, month
    else:
        match = re.fullmatch(r"(\d{4})-[Qq]([1-4])", quarter)
        if not match:
            raise ValidationError(
                _("%(value)s is not a quarter: write it as YYYY-Qn, e.g. 2026-Q1.") % {"value": quarter},
                code="period_invalid",
            )
        first = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
        months, name = 3, f"{match[1]}-Q{match[2]}"
    year, month_index = divmod(first.month - 1 + months, 12)
    last = dt.date(first.year + year, month_index + 1, 1) - dt.timedelta(days=1)
    return Period(first, last), name


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _band(age: int | None) -> str:
    for low, high in AGE_BANDS:
        if age is not None and age >= low and (high is None or age <= high):
            return f"{low}–{high}" if high is not None else f"{low}+"
    return _("Age not recorded")


@dataclass(frozen=True)
class _Person:
    age: int | None
    sex: str
    nationality: str


def _document_group(document_type: str) -> str:
    # The holder's identity document, kept beside the recorded nationality: records made before nationality was
    # asked still show whether the holder is a Spanish or a foreign resident.
    if document_type == DocumentType.DNI:
        return _("Spanish (DNI)")
    if document_type == DocumentType.NIE:
        return _("Foreign resident (NIE)")
    if document_type in (DocumentType.PASSPORT, DocumentType.RUT):
        return _("Foreign, other document (passport, RUT)")
    return _("Not recorded (no document)")


def council_report(*, period: Period, name: str) -> CouncilReport:
    """Every figure of the council's report for the period (module docstring), read in a bounded number of queries."""
    handed_over = delivered_in(period)
    served_orders = handed_over.keys()
    order_households = dict(DeliveryOrder.objects.filter(pk__in=served_orders).values_list("pk", "household_id"))
    households = {
        household.pk: household
        for household in Household.objects.filter(pk__in=set(order_households.values())).select_related("zone")
    }
    people_of: dict[int, list[_Person]] = {
        pk: [_Person(_age(h.birth_date, period.last), h.sex, h.nationality)] for pk, h in households.items()
    }
    for household_id, birth, sex, nationality in HouseholdMember.objects.filter(
        household_id__in=households
    ).values_list("household_id", "birth_date", "sex", "nationality"):
        people_of[household_id].append(_Person(_age(birth, period.last), sex, nationality))
    people_total = sum(len(people) for people in people_of.values())

    def group(section: str, definition: str, key_of) -> list[Row]:
        """Households and their people per key; `key_of(household)` gives the household's keys."""
        counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        order: list[str] = []
        for pk, household in households.items():
            for key in key_of(household):
                if key not in counted:
                    order.append(key)
                counted[key][0] += 1
                counted[key][1] += len(people_of[pk])
        return [Row(section, key, counted[key][0], counted[key][1], definition=definition) for key in order]

    costs = delivery_costs(period=period)
    rows = [
        Row(
            _("Total"),
            _("Served in the period"),
            len(households),
            people_total,
            len(served_orders),
            costs.total.total,
            _(
                "Households with at least one delivery at the door or collection at the depot in the period, each "
                "counted once; people: the holder and the listed members of those households, each once; count: "
                "deliveries; amount: packs' value plus van cost, VAT excluded."
            ),
        )
    ]

    ages: dict[str, int] = defaultdict(int)
    sexes: dict[str, int] = defaultdict(int)
    nationalities: dict[str, int] = defaultdict(int)
    for people in people_of.values():
        for person in people:
            ages[_band(person.age)] += 1
            sexes[person.sex] += 1
            nationalities[person.nationality] += 1
    band_order = [_band(low) for low, _high in AGE_BANDS] + [_("Age not recorded")]
    age_definition = _("People served by their age on the period's last day, from the birth date on record.")
    rows += [Row(_("Age band"), band, people=ages[band], definition=age_definition) for band in band_order]
    sex_definition = _("People served by the sex recorded for the holder and for each member.")
    rows += [Row(_("Sex"), str(label), people=sexes[code], definition=sex_definition) for code, label in Sex.choices]
    rows.append(Row(_("Sex"), _("Not recorded"), people=sexes[""], definition=sex_definition))
    nationality_definition = _(
        "People served by the nationality group recorded for the holder and for each member (one with Spanish "
        "nationality among others counts as Spanish)."
    )
    rows += [
        Row(_("Nationality group"), str(label), people=nationalities[code], definition=nationality_definition)
        for code, label in NationalityGroup.choices
    ]
    rows.append(
        Row(_("Nationality group"), _("Not recorded"), people=nationalities[""], definition=nationality_definition)
    )
    document_definition = _("Households by the holder's identity document; people: the whole household.")
    by_group = {row.figure: row for row in group("", "", lambda h: [_document_group(h.document_type)])}
    for code in (DocumentType.DNI, DocumentType.NIE, DocumentType.PASSPORT, DocumentType.NONE):
        label = _document_group(code)
        found = by_group.get(label)
        rows.append(
            Row(
                _("Holder's identity document"),
                label,
                found.households if found else 0,
                found.people if found else 0,
                definition=document_definition,
            )
        )
    vulnerabilities = dict(Vulnerability.choices)
    rows += group(
        _("Vulnerability"),
        _("Households with each vulnerability recorded (a household may have several); people: the whole household."),
        lambda h: [str(vulnerabilities.get(code, code)) for code in h.vulnerabilities] or [_("None recorded")],
    )
    rows += group(
        _("Zone"),
        _("Households by their zone today."),
        lambda h: [h.zone.name if h.zone else _("No zone")],
    )

    values = pack_values()
    pack_rows: dict[int, list] = {}
    programme_households: dict[str, set[int]] = defaultdict(set)
    programme_amount: dict[str, Decimal] = defaultdict(Decimal)
    packs = Pack.objects.in_bulk()
    for order_id, pack_id, units in DeliveryOrderLine.objects.filter(order_id__in=served_orders).values_list(
        "order_id", "pack_id", "quantity"
    ):
        pack = packs[pack_id]
        entry = pack_rows.setdefault(pack_id, [pack, 0])
        entry[1] += units
        programme_households[pack.programme].add(order_households[order_id])
        programme_amount[pack.programme] += units * values.get(pack_id, Decimal(0))
    programme_definition = _(
        "Households that received at least one pack of the programme (a household may be in several); amount: "
        "those packs' value, VAT excluded."
    )
    for code, label in Programme.choices:
        served = programme_households.get(code, set())
        rows.append(
            Row(
                _("Programme"),
                str(label),
                len(served),
                sum(len(people_of[pk]) for pk in served),
                amount=cents(programme_amount[code]),
                definition=programme_definition,
            )
        )

    rows += _request_rows(period)
    rows += _delivery_rows(period)

    pack_definition = _("Packs handed over in the period (door and depot), each at its components' unit cost now.")
    for pack, units in sorted(pack_rows.values(), key=lambda entry: entry[0].label):
        rows.append(
            Row(
                _("Packs"),
                pack.label,
                count=units,
                amount=cents(units * values.get(pack.pk, Decimal(0))),
                definition=pack_definition,
            )
        )
    rows += [
        Row(_("Money"), _("Packs' value"), amount=costs.total.packs_value, definition=pack_definition),
        Row(
            _("Money"),
            _("Van cost"),
            amount=costs.total.van_cost,
            definition=_("Each round of the period: the vehicle's cost per day plus its cost per km × the distance."),
        ),
        Row(
            _("Money"),
            _("Cost per delivery"),
            amount=costs.total.per_delivery,
            definition=_("Packs' value plus van cost, over the deliveries of the period."),
        ),
        Row(
            _("Money"),
            _("Cost per household"),
            amount=costs.total.per_household,
            definition=_("Packs' value plus van cost, over the households served (each once)."),
        ),
    ]
    title = _("Council report %(period)s") % {"period": name}
    return CouncilReport(period, title, tuple(rows))


def _request_rows(period: Period) -> list[Row]:
    start, end = period.bounds()
    received = AidRequest.objects.filter(received_at__gte=start, received_at__lt=end)
    by_status = dict(received.order_by().values_list("status").annotate(count=Count("pk")))
    by_reason = dict(
        received.filter(status=AidRequest.Status.REJECTED)
        .order_by()
        .values_list("rejection_code")
        .annotate(count=Count("pk"))
    )
    definition = _("Requests received in the period, by where they stand today.")
    Status = AidRequest.Status  # noqa: N806
    rows = [Row(_("Requests"), _("Received"), count=sum(by_status.values()), definition=definition)]
    for status in (Status.APPROVED, Status.REJECTED, Status.REFERRED, Status.INFO_ONLY):
        label = _("Answered at intake (closed at the first level)") if status == Status.INFO_ONLY else status.label
        rows.append(Row(_("Requests"), str(label), count=by_status.get(status, 0), definition=definition))
    rows.append(
        Row(
            _("Requests"),
            _("Still being assessed"),
            count=by_status.get(Status.IN_ASSESSMENT, 0) + by_status.get(Status.MORE_INFO, 0),
            definition=definition,
        )
    )
    reason_definition = _("Requests received in the period and rejected, by the reason recorded.")
    rows += [
        Row(_("Rejected by reason"), str(label), count=by_reason.get(code, 0), definition=reason_definition)
        for code, label in RejectionCode.choices
    ]
    return rows


def _delivery_rows(period: Period) -> list[Row]:
    stops = Stop.objects.deliveries().filter(round__date__gte=period.first, round__date__lte=period.last)
    delivered = stops.filter(outcome=Stop.Outcome.DELIVERED).count()
    failed = dict(
        stops.filter(outcome=Stop.Outcome.FAILED).order_by().values_list("failure_reason").annotate(count=Count("pk"))
    )
    start, end = period.bounds()
    collected = DeliveryOrder.objects.filter(COLLECTED, collected_at__gte=start, collected_at__lt=end).count()
    definition = _("Visits recorded on the rounds of the period, and orders collected at the depot in it.")
    rows = [
        Row(_("Deliveries"), _("Delivered at the door"), count=delivered, definition=definition),
        Row(_("Deliveries"), _("Collected at the depot"), count=collected, definition=definition),
        Row(_("Deliveries"), _("Not delivered"), count=sum(failed.values()), definition=definition),
    ]
    rows += [
        Row(_("Not delivered by reason"), str(label), count=failed.get(code, 0), definition=definition)
        for code, label in Stop.FailureReason.choices
    ]
    return rows


# Files ---------------------------------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [
        _("Section"),
        _("Figure"),
        _("Households"),
        _("People"),
        _("Count"),
        _("Amount (%(currency)s)") % {"currency": currency()},
        _("Definition"),
    ]


def _cells(row: Row) -> list:
    return [row.section, row.figure, row.households, row.people, row.count, row.amount, row.definition]


def report_csv(report: CouncilReport) -> bytes:
    """`;`-separated with decimal commas in Spanish and a byte-order mark, as Spanish Excel opens it; the first data
    row is the total."""

    def text(value):
        return formats.number_format(value, 2, use_l10n=True) if isinstance(value, Decimal) else value

    return csv_text([_headers(), *([text(v) for v in _cells(row)] for row in report.rows)]).encode("utf-8-sig")


def report_xlsx(report: CouncilReport) -> bytes:
    return xlsx_content(title=report.title, headers=_headers(), rows=[_cells(row) for row in report.rows])


def report_pdf(report: CouncilReport) -> bytes:
    def text(value):
        if value is None:
            return ""
        return (
            formats.number_format(value, 2, use_l10n=True, force_grouping=True) if isinstance(value, Decimal) else value
        )

    story = [
        heading(report.title, TITLE),
        heading(
            _("From %(first)s to %(last)s")
            % {
                "first": day_text(report.period.first),
                "last": day_text(report.period.last),
            }
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [[head_cell(h) for h in _headers()]] + [[cell(text(v)) for v in _cells(row)] for row in report.rows]
    table = Table(rows, colWidths=[34 * mm, 50 * mm, 20 * mm, 18 * mm, 16 * mm, 24 * mm, 105 * mm], repeatRows=1)
    table.setStyle(GRID)
    story.append(table)
    return pdf_build(story, pagesize=landscape(A4), footer=report.title)


WRITERS = {
    "csv": ("text/csv; charset=utf-8", report_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_xlsx),
    "pdf": ("application/pdf", report_pdf),
}


def council_report_file(*, period: Period, name: str, file_format: str, language: str) -> bytes:
    """The report written as `file_format` (csv, xlsx or pdf) in `language`."""
    if file_format not in WRITERS:
        raise ValidationError(
            _("The report is written as csv, xlsx or pdf; got %(format)s.") % {"format": file_format},
            code="format_invalid",
        )
    with translation.override(language):
        return WRITERS[file_format][1](council_report(period=period, name=name))
