"""One reading of a spreadsheet cell for every import: text, whole numbers, dates and decimals, as a CSV or an
XLSX gives them."""

import datetime as dt
from decimal import Decimal, InvalidOperation

import pytest

from core.sheets import cell_blank, cell_date, cell_decimal, cell_int, cell_text


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), ("  Calle  Mayor\t 3 ", "Calle Mayor 3"), (30201.0, "30201"), (2.5, "2.5"), (7, "7"), ("", "")],
)
def test_a_cell_reads_as_text_without_stray_spaces_or_a_spreadsheets_point_zero(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(("value", "blank"), [(None, True), ("   ", True), ("", True), (0, False), ("0", False)])
def test_only_an_empty_cell_or_spaces_are_blank(value, blank):
    assert cell_blank(value) is blank


@pytest.mark.parametrize(
    ("value", "number"),
    [(12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), ("-3", -3), ("+5", 5), ("0", 0)],
)
def test_a_whole_number_reads_from_a_number_cell_or_text(value, number):
    assert cell_int(value) == number


@pytest.mark.parametrize("value", ["1.000", "12.0", "12,0", "12.5", 12.5, "doce", "", None, True, False, "1 000"])
def test_anything_but_a_whole_number_is_refused_rather_than_truncated(value):
    # "1.000" is a thousand in a Spanish sheet: reading it as 1 (what the stock count sheet did) loses 999 units.
    assert cell_int(value) is None


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("14/09/1947", dt.date(1947, 9, 14)),
        ("14.9.1947", dt.date(1947, 9, 14)),
        ("14-09-1947", dt.date(1947, 9, 14)),
        ("1947-09-14", dt.date(1947, 9, 14)),
        (dt.date(1947, 9, 14), dt.date(1947, 9, 14)),
        (dt.datetime(1947, 9, 14, 0, 0), dt.date(1947, 9, 14)),  # noqa: DTZ001  (an XLSX date cell is naive)
    ],
)
def test_a_date_reads_as_day_month_year_or_iso_or_a_date_cell(value, day):
    assert cell_date(value) == day


@pytest.mark.parametrize("value", ["31/02/2024", "09/14", "1947", "ayer", "", None, 19470914])
def test_a_cell_that_is_no_date_is_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011  (the callers turn any ValueError into their own row error)
        cell_date(value)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("40,4165", Decimal("40.4165")),
        ("-3.7038", Decimal("-3.7038")),
        (" -3, 70 ", Decimal("-3.70")),
        (40.4165, Decimal("40.4165")),
        (40, Decimal("40")),
    ],
)
def test_a_decimal_reads_with_a_point_or_a_spanish_comma(value, number):
    assert cell_decimal(value) == number


@pytest.mark.parametrize("value", ["1.234,5", "cuarenta", "", True])
def test_a_cell_that_is_no_decimal_is_refused(value):
    with pytest.raises(InvalidOperation):
        cell_decimal(value)
