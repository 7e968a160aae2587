"""Files written to hurt the reader or the spreadsheet that opens an export, for the hostile files tests."""

import io

import openpyxl

HEADER = ["Nombre", "Apellidos", "Dirección", "Municipio"]
CARMEN = ["Carmen", "Sánchez", "C/ Duque 21", "Cartagena"]
HOSTILE = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)"]


def xfd_sheet() -> bytes:
    """Five kilobytes whose one extra cell makes the sheet declare 16,384 × 1,048,576 cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(CARMEN)
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def nul_file() -> bytes:
    rows = [HEADER, CARMEN, ["Luis", "Ortega", "C/ Real\x00 1", "Cartagena"]]
    return "\r\n".join(";".join(row) for row in rows).encode()
