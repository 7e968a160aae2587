"""Count sheets built to hurt: lot codes that a spreadsheet would run, oversized sheets, NUL bytes, misspelt
headers."""

import csv
import io

import openpyxl
import pytest

from inventory.models import StockCount
from inventory.resources import CountImportRefused, count_sheet_export, count_sheet_import, sheet_read
from inventory.tests.count_sheet_world import HOSTILE, counted, xfd_sheet

pytestmark = pytest.mark.django_db


def import_refusal(count: StockCount, content: bytes, file_format: str) -> list[tuple[int, str, str]]:
    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=None, count=count, dataset=sheet_read(content=content, file_format=file_format))
    return [(error.row, error.column, error.code) for error in refused.value.errors]


# Exports ------------------------------------------------------------------------------------------------------


def test_the_csv_count_sheet_keeps_hostile_lot_codes_behind_an_apostrophe(count):
    content, _type, _name = count_sheet_export(count=count, file_format="csv")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(row[3] for row in rows[1:]) == sorted("'" + code for code in HOSTILE)


def test_the_xlsx_count_sheet_keeps_hostile_lot_codes_as_text(count):
    content, _type, _name = count_sheet_export(count=count, file_format="xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sorted((cell.value, cell.data_type) for cell in sheet["D"][1:]) == sorted((code, "s") for code in HOSTILE)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_count_sheet_with_hostile_lot_codes_imports_back(count, file_format):
    content, _type, _name = count_sheet_export(count=count, file_format=file_format)
    if file_format == "csv":
        content = content.replace(b",3,3,count", b",3,1,count")
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        for cell in book.active["G"][1:]:
            cell.value = 1
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()

    summary = count_sheet_import(actor=None, count=count, dataset=sheet_read(content=content, file_format=file_format))

    assert (summary.rows, summary.added) == (4, 0)
    assert counted(count) == dict.fromkeys(HOSTILE, 1)


# Imports ------------------------------------------------------------------------------------------------------


def test_a_count_sheet_with_a_cell_at_xfd1048576_is_refused_at_that_cell(count):
    assert import_refusal(count, xfd_sheet(), "xlsx") == [(1048576, "XFD", "sheet_too_many_rows")]
    assert counted(count) == dict.fromkeys(HOSTILE, 3)


def test_a_nul_byte_in_a_count_sheet_is_refused_with_its_row_and_column(count):
    content = b"sku,lot_code,counted\nRICE,=1+1,2\nRICE,@SUM(A1:A2)\x00,1\n"

    assert import_refusal(count, content, "csv") == [(3, "lot_code", "sheet_control_character")]
    assert counted(count) == dict.fromkeys(HOSTILE, 3)


def test_a_misspelt_count_sheet_column_is_refused_with_the_closest_known_column(count):
    content = b"sku,lot_code,counted,reasn\nRICE,=1+1,2,damaged\n"

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=None, count=count, dataset=sheet_read(content=content, file_format="csv"))

    assert [(e.row, e.column, e.code, e.message) for e in refused.value.errors] == [
        (
            1,
            "reasn",
            "sheet_unknown_column",
            "column D, “reasn”, is not one this import reads: did you mean “reason”? To leave a column out, start "
            "its header with #.",
        )
    ]
    assert counted(count) == dict.fromkeys(HOSTILE, 3)


def test_a_count_sheet_column_marked_with_a_hash_is_left_out(count):
    content = b"sku,lot_code,counted,#who counted\nRICE,=1+1,2,Ana\n"

    count_sheet_import(actor=None, count=count, dataset=sheet_read(content=content, file_format="csv"))

    assert counted(count)["=1+1"] == 2
