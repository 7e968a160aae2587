"""The manager's figures as files: CSV for Spanish Excel and XLSX, each cell through the shared formula guard
(`cell_defuse`, by way of `csv_text` and `xlsx_rows_append`), since survey comments come from a public page."""

import datetime as dt
import io
from collections.abc import Sequence

from django.utils import formats
from openpyxl import Workbook
from openpyxl.styles import Font

from core.sheets import csv_text, xlsx_rows_append, xlsx_sheet_name
from reports.tables import Table


def tables_csv(tables: Sequence[Table]) -> bytes:
    """One section per table (title, header, rows, a blank line), `;`-separated, with a byte-order mark and
    decimal commas in Spanish, so Spanish Excel opens it as it is. Comments come from the public survey page:
    `csv_text` keeps any that a spreadsheet would run as a formula as text."""
    rows: list[list] = []
    for table in tables:
        rows += [[table.title], [column.label for column in table.columns]]
        rows += [[_csv_cell(cell) for cell in row] for row in table.rows]
        rows.append([])
    return csv_text(rows, delimiter=";").encode("utf-8-sig")


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return formats.number_format(cell, use_l10n=True)
    return str(cell)


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table, header in bold, numbers and dates as Excel's own, text always as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(xlsx_sheet_name(table.title, used))
        xlsx_rows_append(sheet, [[column.label for column in table.columns]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        xlsx_rows_append(sheet, table.rows)
        for index, column in enumerate(table.columns):
            width = max([len(column.label), *(len(_csv_cell(row[index])) for row in table.rows)])
            sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
