"""The one spreadsheet reader every import uses and the one formula guard every export uses (core/sheets.py)."""

import io
import tracemalloc

import openpyxl
import pytest
from openpyxl.styles import Font
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.sheets import (
    SheetLimits,
    SheetRefused,
    cell_defuse,
    csv_text,
    sheet_read,
    xlsx_content,
)

LIMITS = SheetLimits(max_bytes=1024 * 1024, max_rows=1001, max_columns=20, max_cells=5000)
HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1"]


def xlsx(cells: dict[str, object], *, blank_styled: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    for coordinate in blank_styled:
        sheet[coordinate].font = Font(bold=True)  # a formatted cell with nothing in it, as Excel writes them
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(content: bytes, file_name: str, limits: SheetLimits = LIMITS) -> list[tuple[int, str, str]]:
    with pytest.raises(SheetRefused) as refusal:
        sheet_read(content=content, file_name=file_name, limits=limits)
    return [(error.row, error.column, error.code) for error in refusal.value.errors]


# Bounds -------------------------------------------------------------------------------------------------------


def test_a_5_kb_xlsx_with_a_cell_at_xfd1048576_is_refused_at_that_cell():
    content = xlsx({"A1": "name", "A2": "Carmen", "XFD1048576": "x"})

    assert len(content) < 10_000
    assert refused(content, "f.xlsx") == [(1048576, "XFD", "sheet_too_many_rows")]


def test_reading_the_xfd1048576_xlsx_stays_within_a_few_megabytes():
    content = xlsx({"A1": "name", "XFD1048576": "x"})

    tracemalloc.start()
    try:
        with pytest.raises(SheetRefused):
            sheet_read(content=content, file_name="f.xlsx", limits=LIMITS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 5 * 1024 * 1024  # it reached 15.8 GB when the sheet's declared dimensions were used


def test_the_reader_never_asks_openpyxl_for_rows_padded_to_the_declared_width(monkeypatch):
    def padded_rows(*args, **kwargs):
        raise AssertionError("rows padded to the sheet's declared dimensions were asked for")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", padded_rows)
    content = xlsx({"A1": "name", "B1": "town", "A2": "Carmen", "C3": "x"}, blank_styled=("XFD2", "XFD900"))

    sheet = sheet_read(content=content, file_name="f.xlsx", limits=LIMITS)

    assert sheet.headers == ["name", "town"]
    assert sheet.rows == [(2, ["Carmen"]), (3, [None, None, "x"])]  # the styled blank cells at XFD add nothing


def test_a_filled_cell_past_the_last_column_is_refused_at_its_row_and_column():
    content = xlsx({"A1": "name", "A2": "Carmen", "XFD2": "x"})

    assert refused(content, "f.xlsx") == [(2, "XFD", "sheet_too_many_columns")]


def test_a_csv_row_past_the_last_row_is_refused_at_that_row():
    limits = SheetLimits(max_bytes=1024, max_rows=3, max_columns=5, max_cells=100)
    content = b"name;town\nCarmen;Cartagena\n\nLuis;Murcia\n"

    assert refused(content, "f.csv", limits) == [(4, "A", "sheet_too_many_rows")]


def test_more_filled_cells_than_the_bound_are_refused_at_the_first_one_too_many():
    limits = SheetLimits(max_bytes=1024, max_rows=100, max_columns=5, max_cells=5)
    content = b"name;town\nCarmen;Cartagena\nLuis;Murcia\n"

    assert refused(content, "f.csv", limits) == [(3, "B", "sheet_too_many_cells")]


def test_a_file_larger_than_the_bound_is_refused_before_it_is_read():
    limits = SheetLimits(max_bytes=10, max_rows=100, max_columns=5, max_cells=100)

    assert refused(b"name;town\nCarmen;Cartagena\n", "f.csv", limits) == [(0, "", "sheet_too_large")]


def test_an_xlsx_that_unpacks_to_more_than_its_bound_is_refused_before_it_is_opened():
    content = xlsx({"A1": "name", "A2": "Carmen"})
    limits = SheetLimits(max_bytes=len(content), max_rows=100, max_columns=5, max_cells=100, unpack_ratio=1)

    assert refused(content, "f.xlsx", limits) == [(0, "", "sheet_too_large")]


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    assert refused(b"PK\x03\x04 broken", "f.xlsx") == [(0, "", "sheet_unreadable")]
    assert refused(b"%PDF-1.7", "f.pdf") == [(0, "", "sheet_format")]


# Control characters -------------------------------------------------------------------------------------------


def test_a_nul_byte_in_a_cell_is_refused_with_its_row_and_column():
    content = b"name;address\nCarmen;C/ Duque\x00 21\nLuis;C/ Real 1\x1b\n"

    with pytest.raises(SheetRefused) as refusal:
        sheet_read(content=content, file_name="f.csv", limits=LIMITS)

    errors = refusal.value.errors
    assert [(e.row, e.column, e.code) for e in errors] == [
        (2, "address", "sheet_control_character"),
        (3, "address", "sheet_control_character"),
    ]
    assert errors[0].message == "the cell holds a control character (U+0000) that no text may hold; retype it."
    assert [error.code for error in refusal.value.error_list] == [
        "sheet_control_character",
        "sheet_control_character",
        "nothing_imported",
    ]


def test_a_control_character_in_a_header_is_named_by_the_column_letter():
    assert refused(b"name;ad\x07dress\nCarmen;C/ Duque 21\n", "f.csv") == [(1, "B", "sheet_control_character")]


def test_tabs_and_line_breaks_in_a_cell_are_kept():
    content = b'name;notes\nCarmen;"ring twice\r\nthen\twait"\n'

    sheet = sheet_read(content=content, file_name="f.csv", limits=LIMITS)

    assert sheet.rows == [(2, ["Carmen", "ring twice\r\nthen\twait"])]


# The formula guard --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", [*HOSTILE, "\r=1"])
def test_text_a_spreadsheet_would_run_is_written_to_csv_behind_an_apostrophe(hostile):
    assert cell_defuse(hostile, file_format="csv") == "'" + hostile


@pytest.mark.parametrize("plain", ["+34968123456", "-0.985000", "12", "Cartagena", "", "a=b"])
def test_plain_numbers_and_ordinary_text_are_written_as_they_are(plain):
    assert cell_defuse(plain, file_format="csv") == plain


def test_text_a_spreadsheet_would_run_is_written_to_xlsx_as_text_never_as_a_formula():
    content = xlsx_content(title="Lots", headers=["lot_code", "units"], rows=[[code, 1] for code in HOSTILE])

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [(cell.value, cell.data_type) for cell in sheet["A"][1:]] == [(code, "s") for code in HOSTILE]
    assert sheet["B2"].value == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_hostile_text_reads_back_as_it_was(file_format):
    rows = [["lot_code"], *([code] for code in HOSTILE)]
    if file_format == "csv":
        content = csv_text(rows).encode("utf-8-sig")
    else:
        content = xlsx_content(title="Lots", headers=rows[0], rows=rows[1:])

    sheet = sheet_read(content=content, file_name=f"f.{file_format}", limits=LIMITS)

    assert [values[0] for _row, values in sheet.rows] == HOSTILE
