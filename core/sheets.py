"""Spreadsheets in and out of Reparto: one bounded reader for every import, one formula guard for every export,
and errors named the way the person sees the sheet (row number and column header).

Reading never trusts what a file says about itself. An XLSX's declared dimensions (a single cell at XFD1048576
makes them a billion cells) are never used: the sheet's XML is streamed cell by cell and each cell is forgotten
once read, so memory follows the filled cells, which are bounded like the rows, the columns, the bytes of the
upload and the bytes it unpacks to. A file past any bound is refused at the row and column where it crossed it.
"""

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

HEADER_ROW = 1
MAX_LISTED_ERRORS = 100  # a file full of bad cells is refused after this many, rather than listing them all
# A header starting with one of these marks a column the file asks an import to leave out.
IGNORED_HEADER_PREFIXES = ("#", "ignorar:", "ignore:")
# Text a spreadsheet would run as a formula when it opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ...unless it is a plain number (a phone in E.164 form, a longitude), which runs nothing and should stay a number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# C0 control characters, tab and line breaks apart: no name, address or code holds them, PostgreSQL refuses NUL
# in text, and XML cannot hold most of them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class SheetError:
    row: int  # as the spreadsheet numbers it (the header is row 1); 0 for the file as a whole
    column: str  # as the file names it; empty when the error is about the whole row
    message: str
    field: str = ""  # the model field the column fills, where an admin error table needs it
    code: str = "invalid"

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class SheetRefused(ValidationError):
    """The sheet had errors; `errors` lists each one and nothing was imported."""

    def __init__(self, errors: list[SheetError]):
        self.errors = errors
        super().__init__(
            [ValidationError(str(error), code=error.code) for error in errors]
            + [ValidationError(_("Nothing was imported."), code="nothing_imported")]
        )


def _refuse_file(message: str, code: str) -> SheetRefused:
    return SheetRefused([SheetError(0, "", message, code=code)])


# Reading ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLimits:
    max_bytes: int  # the file as uploaded
    max_rows: int  # the last row a filled cell may be on, the header included
    max_columns: int  # the last column a filled cell may be in
    max_cells: int  # filled cells in the whole sheet
    # An XLSX is a zip of XML; real ones unpack to a few times their size, a zip bomb to thousands.
    unpack_ratio: int = 20

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_bytes * self.unpack_ratio


@dataclass(frozen=True)
class Sheet:
    headers: list  # row 1's cells, as the file holds them
    rows: list[tuple[int, list]]  # (spreadsheet row number, cell values); blank rows left out


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(content: bytes) -> str:
    # Excel's "Unicode text"; UTF-8, with or without a byte-order mark; what a Spanish Windows Excel writes as CSV.
    encodings = ["utf-16"] if content.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse_file(
        _("The file is neither UTF-8 nor Windows-1252 text; save it again from the spreadsheet as CSV."),
        "sheet_encoding",
    )


def _delimiter(text: str) -> str:
    """The separator of the header line: a Spanish Excel writes semicolons, since the comma is its decimal mark."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    header = re.sub(r'"[^"]*"', "", header)  # a quoted header may hold any of them
    counts = {candidate: header.count(candidate) for candidate in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_cells(content: bytes) -> Iterator[tuple[int, int, object]]:
    text = _decode(content)
    for row, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), 1):
        for column, value in enumerate(values, 1):
            yield row, column, value


def _xlsx_cells(content: bytes, limits: SheetLimits) -> Iterator[tuple[int, int, object]]:
    """The sheet's cells as its XML lists them, each forgotten once read; the declared dimensions are never used."""
    import openpyxl
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    # Shared strings are read whole when the workbook opens: bound what the zip unpacks to before that.
    if sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist()) > limits.max_unpacked_bytes:
        raise _refuse_file(
            _("The file unpacks to more than %(size)s MB, more than any import takes; split it in parts.")
            % {"size": limits.max_unpacked_bytes // 2**20},
            "sheet_too_large",
        )
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]  # the first sheet, not whichever was open when the file was saved
        # openpyxl's own cell decoding (shared strings, dates, booleans), with the arguments its read-only sheet
        # passes; its row iteration is left out, since it pads every row to the declared width.
        parser = WorkSheetParser(
            None,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        with sheet._get_source() as source:
            open_elements = []
            cell_depth = 0  # inside a cell, its value and text elements are kept until the cell is read
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == ROW_TAG:
                        number = element.get("r")
                        parser.row_counter = int(float(number)) if number else parser.row_counter + 1
                        parser.col_counter = 0
                    elif element.tag == CELL_TAG:
                        cell_depth = len(open_elements) + 1
                    open_elements.append(element)
                    continue
                open_elements.pop()
                if element.tag == CELL_TAG and len(open_elements) + 1 == cell_depth:
                    cell_depth = 0
                    cell = parser.parse_cell(element)
                    yield cell["row"], cell["column"], cell["value"]
                if not cell_depth and open_elements:
                    open_elements[-1].remove(element)  # the last child, so this is cheap
    finally:
        book.close()


def _column_name(headers: Sequence, column: int) -> str:
    """A column as the file names it: its header, or its letter when it has none."""
    if column <= len(headers) and not _blank(headers[column - 1]):
        return " ".join(str(headers[column - 1]).split())
    return get_column_letter(column)


def _read_back(text: str) -> str:
    """Text as it was before an export defused it (see `cell_defuse`), so that exported files import back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def _cells_collect(cells: Iterable[tuple[int, int, object]], limits: SheetLimits) -> dict[int, dict[int, object]]:
    """The filled cells by row and column; refused at the first cell past a bound."""
    rows: dict[int, dict[int, object]] = {}
    filled = 0
    for row, column, value in cells:
        if _blank(value):
            continue
        if row > limits.max_rows:
            raise SheetRefused(
                [
                    SheetError(
                        row,
                        get_column_letter(column),
                        _(
                            "the sheet has data past row %(max)s, the most an import reads; split the file, or "
                            "delete what is below the data."
                        )
                        % {"max": limits.max_rows},
                        code="sheet_too_many_rows",
                    )
                ]
            )
        if column > limits.max_columns:
            raise SheetRefused(
                [
                    SheetError(
                        row,
                        get_column_letter(column),
                        _(
                            "the sheet has data past column %(letter)s (%(max)s columns), the most an import "
                            "reads; delete what is to the right of the data."
                        )
                        % {"letter": get_column_letter(limits.max_columns), "max": limits.max_columns},
                        code="sheet_too_many_columns",
                    )
                ]
            )
        filled += 1
        if filled > limits.max_cells:
            raise SheetRefused(
                [
                    SheetError(
                        row,
                        get_column_letter(column),
                        _("the sheet has more than %(max)s filled cells, the most an import reads; split the file.")
                        % {"max": limits.max_cells},
                        code="sheet_too_many_cells",
                    )
                ]
            )
        rows.setdefault(row, {})[column] = _read_back(value) if isinstance(value, str) else value
    return rows


def _control_errors(rows: dict[int, dict[int, object]], headers: list) -> list[SheetError]:
    errors = []
    for row in sorted(rows):
        for column, value in sorted(rows[row].items()):
            if isinstance(value, str) and (found := _CONTROL_CHARACTERS.search(value)):
                errors.append(
                    SheetError(
                        row,
                        _column_name(headers, column) if row != HEADER_ROW else get_column_letter(column),
                        _("the cell holds a control character (%(character)s) that no text may hold; retype it.")
                        % {"character": f"U+{ord(found.group()):04X}"},
                        code="sheet_control_character",
                    )
                )
                if len(errors) == MAX_LISTED_ERRORS:
                    return errors
    return errors


def _as_list(cells: dict[int, object]) -> list:
    values: list = [None] * max(cells, default=0)
    for column, value in cells.items():
        values[column - 1] = value
    return values


def sheet_read(*, content: bytes, file_name: str, limits: SheetLimits) -> Sheet:
    """The header and the non-blank rows of a CSV or XLSX file, or a refusal saying why it cannot be read: a bound
    crossed (with the row and column where), a cell holding a control character, or a file that is not a sheet."""
    if len(content) > limits.max_bytes:
        raise _refuse_file(
            _("The file is larger than %(size)s MB; split it in parts.") % {"size": limits.max_bytes // 2**20},
            "sheet_too_large",
        )
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xlsx" or content.startswith(b"PK\x03\x04"):
        cells, kind = _xlsx_cells(content, limits), "XLSX"
    elif suffix in {".csv", ".txt", ""}:
        cells, kind = _csv_cells(content), "CSV"
    else:
        raise _refuse_file(
            _("Upload a .csv or .xlsx file; “%(name)s” is neither.") % {"name": Path(file_name).name}, "sheet_format"
        )
    try:
        rows = _cells_collect(cells, limits)
    except SheetRefused:
        raise
    except Exception as exc:  # zipfile, XML, openpyxl and csv raise many kinds; all mean the same to the person
        message = (
            _("The file could not be read as XLSX (%(error)s).")
            if kind == "XLSX"
            else _("The file could not be read as CSV (%(error)s).")
        )
        raise _refuse_file(message % {"error": exc}, "sheet_unreadable") from exc
    if HEADER_ROW not in rows:
        raise _refuse_file(_("The file is empty, or its first row is not the header."), "sheet_no_header")
    headers = _as_list(rows.pop(HEADER_ROW))
    errors = _control_errors({HEADER_ROW: dict(enumerate(headers, 1)), **rows}, headers)
    if errors:
        raise SheetRefused(errors)
    return Sheet(headers=headers, rows=[(number, _as_list(rows[number])) for number in sorted(rows)])


def sheet_dataset(sheet: Sheet) -> tablib.Dataset:
    """The sheet as django-import-export reads it, blank rows kept in place so that row numbers match the
    spreadsheet's; unnamed columns past the header are named by their position."""
    width = max([len(sheet.headers)] + [len(values) for _number, values in sheet.rows])
    headers = [("" if value is None else value) for value in sheet.headers]
    headers += [f"#{index + 1}" for index in range(len(headers), width)]
    dataset = tablib.Dataset(headers=headers)
    by_number = dict(sheet.rows)
    last = sheet.rows[-1][0] if sheet.rows else HEADER_ROW
    for number in range(HEADER_ROW + 1, last + 1):
        values = by_number.get(number, [])
        dataset.append(list(values) + [""] * (width - len(values)))
    return dataset


# Cells --------------------------------------------------------------------------------------------------------
# One reading of a cell for every import. A cell comes as the file holds it: text from a CSV, or an int, float,
# date or datetime from an XLSX. Each parser answers the value or refuses (None or ValueError), never guesses.

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def cell_text(value) -> str:
    """A cell as text with stray and doubled spaces gone; spreadsheets turn codes like 30201 into 30201.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def cell_blank(value) -> bool:
    return cell_text(value) == ""


def cell_int(value) -> int | None:
    """A whole number, signed, or None. Text with a point is refused, not truncated: in a Spanish sheet "1.000" is
    a thousand, and "12.5" is not whole; a number cell 12.0 is whole."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def cell_date(value) -> dt.date:
    """A date cell, or day/month/year (/, . or - between) or year-month-day text; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return dt.date(year, month, day)


def cell_decimal(value) -> Decimal:
    """A number cell, or text with a decimal point or a Spanish decimal comma; decimal.InvalidOperation otherwise
    (a thousands separator next to a decimal one, "1.234,5", is refused rather than guessed)."""
    if isinstance(value, bool):
        raise InvalidOperation(value)
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = cell_text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return Decimal(text)


# Headers ------------------------------------------------------------------------------------------------------


def header_ignored(header: str) -> bool:
    """Whether the file marks the column as one to leave out (“#Notas internas”, “ignorar: Teléfono 2”)."""
    return header.strip().lower().startswith(IGNORED_HEADER_PREFIXES)


def header_unknown(*, column: int, header: str, key: str, known: dict[str, str]) -> SheetError:
    """The error for a header no column of the import answers to, suggesting the closest one.

    `key` is the header as compared and `known` maps each compared form the import reads to how to write it."""
    closest = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    values = {"letter": get_column_letter(column), "header": header}
    if closest:
        message = _(
            "column %(letter)s, “%(header)s”, is not one this import reads: did you mean “%(suggestion)s”? "
            "To leave a column out, start its header with #."
        ) % {**values, "suggestion": known[closest[0]]}
    else:
        message = (
            _(
                "column %(letter)s, “%(header)s”, is not one this import reads. To leave a column out, start its "
                "header with #."
            )
            % values
        )
    return SheetError(HEADER_ROW, header, message, code="sheet_unknown_column")


# Writing ------------------------------------------------------------------------------------------------------


def cell_defuse(value, *, file_format: str):
    """A cell as every export writes it, so that opening the file runs nothing.

    In CSV, text a spreadsheet would run as a formula gets a leading apostrophe, which the spreadsheet shows and
    never runs (`sheet_read` takes it off again). In XLSX the text stays as it is, since `xlsx_rows_append` stores
    it as text, never as a formula; only the control characters XML cannot hold are dropped."""
    if not isinstance(value, str):
        return value
    if file_format == "xlsx":
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence], *, delimiter: str = ";") -> str:
    """Rows as CSV with CRLF line ends, every cell through `cell_defuse`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell_defuse(cell, file_format="csv") for cell in row])
    return buffer.getvalue()


def xlsx_rows_append(sheet, rows: Iterable[Sequence]) -> None:
    """Rows added to an openpyxl sheet, every cell through `cell_defuse` and text kept as text."""
    for row in rows:
        sheet.append([cell_defuse(cell, file_format="xlsx") for cell in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl takes text starting with "=" for a formula
                cell.data_type = "s"


def xlsx_sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def xlsx_content(*, title: str, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    """One sheet: the header in bold and frozen, then the rows, numbers and dates as Excel's own."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = xlsx_sheet_name(title, set())
    xlsx_rows_append(sheet, [headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    xlsx_rows_append(sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class DefusedCSV(CSV):
    """django-import-export's CSV, written through `cell_defuse`."""

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> str:
        return csv_text([dataset.headers or [], *dataset], delimiter=kwargs.get("delimiter", ","))


class DefusedXLSX(XLSX):
    """django-import-export's XLSX, written through `cell_defuse` with text kept as text."""

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return xlsx_content(title=dataset.title or "Sheet", headers=dataset.headers or [], rows=dataset)
