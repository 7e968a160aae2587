"""The council's report: unduplicated households and people served by trait, requests and deliveries by outcome,
packs and money; CSV (total first), XLSX and PDF; the council_report command."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.council import council_report, council_report_file, period_parse
from reports.metrics import Period
from requests_intake.models import Household

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2030, 3, 1), dt.date(2030, 3, 31))


def rows_of(report, section):
    return {
        row.figure: (row.households, row.people, row.count, row.amount) for row in report.rows if row.section == section
    }


def test_the_total_counts_each_household_and_person_once_as_the_database_does(march):
    report = council_report(period=MARCH, name="2030-03")

    start, end = MARCH.bounds()
    served_directly = Household.objects.filter(
        Q(orders__stops__outcome="delivered", orders__stops__round__date__range=(MARCH.first, MARCH.last))
        | Q(orders__mode="pickup", orders__collected_at__gte=start, orders__collected_at__lt=end)
    ).distinct()
    total = report.rows[0]
    assert (total.section, total.households, total.people, total.count) == ("Total", 2, 4, 3)
    assert total.households == served_directly.count()
    # Packs: 4 food × 5.00 + 1 baby × 8.00 = 28.00; vans: the two March rounds, 90 + 20 km × 0.25 = 95.00 each.
    assert total.amount == Decimal("218.00")


def test_people_by_age_band_sex_and_nationality_group(march):
    report = council_report(period=MARCH, name="2030-03")

    assert rows_of(report, "Age band") == {
        "0–2": (None, 1, None, None),
        "3–17": (None, 1, None, None),
        "18–64": (None, 1, None, None),
        "65+": (None, 1, None, None),
        "Age not recorded": (None, 0, None, None),
    }
    # March's people have no sex or nationality on record (test_council_demographics.py counts recorded ones).
    assert rows_of(report, "Sex")["Not recorded"] == (None, 4, None, None)
    assert rows_of(report, "Nationality group")["Not recorded"] == (None, 4, None, None)
    assert rows_of(report, "Holder's identity document") == {
        "Spanish (DNI)": (1, 3, None, None),
        "Foreign resident (NIE)": (1, 1, None, None),
        "Foreign, other document (passport, RUT)": (0, 0, None, None),
        "Not recorded (no document)": (0, 0, None, None),
    }


def test_households_by_vulnerability_zone_and_programme(march):
    report = council_report(period=MARCH, name="2030-03")

    assert rows_of(report, "Vulnerability") == {
        "Elderly person": (1, 3, None, None),
        "Lives alone": (1, 3, None, None),
        "None recorded": (1, 1, None, None),
    }
    assert rows_of(report, "Zone") == {"Norte": (1, 3, None, None), "No zone": (1, 1, None, None)}
    assert rows_of(report, "Programme") == {
        "Food": (2, 4, None, Decimal("20.00")),
        "Hygiene": (0, 0, None, Decimal("0.00")),
        "Baby": (1, 3, None, Decimal("8.00")),
        "Medication": (0, 0, None, Decimal("0.00")),
    }


def test_requests_and_deliveries_by_outcome(march):
    report = council_report(period=MARCH, name="2030-03")

    requests = {figure: count for figure, (_h, _p, count, _a) in rows_of(report, "Requests").items()}
    assert requests == {
        "Received": 5,
        "Approved": 2,
        "Rejected": 1,
        "Referred elsewhere": 0,
        "Answered at intake (closed at the first level)": 1,
        "Still being assessed": 1,
    }
    assert rows_of(report, "Rejected by reason")["Income above the threshold"][2] == 1
    deliveries = {figure: count for figure, (_h, _p, count, _a) in rows_of(report, "Deliveries").items()}
    assert deliveries == {"Delivered at the door": 2, "Collected at the depot": 1, "Not delivered": 1}
    assert rows_of(report, "Not delivered by reason")["Nobody at home"][2] == 1


def test_every_figure_has_its_definition_beside_it(march):
    report = council_report(period=MARCH, name="2030-03")

    assert [row.figure for row in report.rows if not row.definition] == []


def test_the_csv_first_data_row_is_the_total(march):
    content = council_report_file(period=MARCH, name="2030-03", file_format="csv", language="es")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    with translation.override("es"):
        label = gettext("Served in the period")
    assert rows[1][1:6] == [label, "2", "4", "3", "218,00"]  # Spanish Excel's decimal comma


def test_the_xlsx_keeps_numbers_as_numbers(march):
    content = council_report_file(period=MARCH, name="2030-03", file_format="xlsx", language="en")

    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[2]][:6] == ["Total", "Served in the period", 2, 4, 3, 218]


def test_the_pdf_shows_the_total_and_its_definition(march):
    content = council_report_file(period=MARCH, name="2030-03", file_format="pdf", language="en")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Served in the period" in text
    assert "218.00" in text


def test_the_command_writes_the_month_to_a_file(march, tmp_path):
    out = tmp_path / "march.csv"

    call_command("council_report", month="2030-03", out=str(out), language="en")

    assert out.read_bytes().decode("utf-8-sig").splitlines()[1].startswith("Total;Served in the period;2;4;3;218.00;")


@pytest.mark.parametrize("month", ["2030-13", "2030-3", "March", ""])
def test_the_command_refuses_a_month_it_cannot_read(month, tmp_path):
    out = tmp_path / "x.csv"

    with pytest.raises(CommandError):
        call_command("council_report", month=month, out=str(out))

    assert not out.exists()


def test_a_quarter_is_its_three_months():
    assert period_parse(quarter="2030-Q2") == (Period(dt.date(2030, 4, 1), dt.date(2030, 6, 30)), "2030-Q2")


def test_an_unknown_file_format_is_refused():
    with pytest.raises(ValidationError) as refused:
        council_report_file(period=MARCH, name="2030-03", file_format="ods", language="es")

    assert refused.value.code == "format_invalid"
