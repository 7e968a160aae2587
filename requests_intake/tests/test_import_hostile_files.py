"""Household files built to hurt: a sheet declaring a billion cells, NUL bytes, and exports that would run."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.sheets import DefusedCSV, DefusedXLSX
from requests_intake.imports import HouseholdImportRefused, households_import
from requests_intake.models import Household
from requests_intake.resources import HouseholdResource
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db

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


def refusal(content: bytes, file_name: str) -> list[tuple[int, str, str]]:
    with pytest.raises(HouseholdImportRefused) as refused:
        households_import(actor=None, content=content, file_name=file_name)
    return [(error.row, error.column, error.code) for error in refused.value.errors]


# The sheet that took the server down --------------------------------------------------------------------------


def test_an_xlsx_with_a_cell_at_xfd1048576_is_refused_at_that_cell_and_nothing_is_saved():
    assert refusal(xfd_sheet(), "hogares.xlsx") == [(1048576, "XFD", "sheet_too_many_rows")]
    assert Household.objects.count() == 0


def test_the_import_page_refuses_the_xfd1048576_sheet_with_its_row_and_column(client, role_users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("households_import"), {"file": SimpleUploadedFile("hogares.xlsx", xfd_sheet())})

    assert response.status_code == 200
    assert [(e.row, e.column, e.code) for e in response.context["errors"]] == [(1048576, "XFD", "sheet_too_many_rows")]
    assert Household.objects.count() == 0


def test_the_command_refuses_the_xfd1048576_sheet_and_exits_1(tmp_path, capsys):
    path = tmp_path / "hogares.xlsx"
    path.write_bytes(xfd_sheet())

    with pytest.raises(SystemExit) as exited:
        call_command("import_households", str(path))

    assert exited.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "row 1048576, column XFD: the sheet has data past row 200001, the most an import reads; split the file, or "
        "delete what is below the data.",
        "1 error; nothing was imported.",
    ]
    assert Household.objects.count() == 0


# NUL and other control characters -----------------------------------------------------------------------------


def nul_file() -> bytes:
    rows = [HEADER, CARMEN, ["Luis", "Ortega", "C/ Real\x00 1", "Cartagena"]]
    return "\r\n".join(";".join(row) for row in rows).encode()


def test_a_nul_byte_in_an_address_is_refused_with_its_row_and_column():
    assert refusal(nul_file(), "hogares.csv") == [(3, "Dirección", "sheet_control_character")]
    assert Household.objects.count() == 0


def test_the_import_page_shows_the_nul_byte_as_an_error_not_a_server_error(client, role_users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("households_import"), {"file": SimpleUploadedFile("hogares.csv", nul_file())})

    assert response.status_code == 200
    assert [(e.row, e.column, e.code) for e in response.context["errors"]] == [
        (3, "Dirección", "sheet_control_character")
    ]


@pytest.mark.postgres
def test_a_nul_byte_in_an_address_is_refused_on_postgresql_before_any_query_sees_it():
    # PostgreSQL refuses NUL in text: the street lookup's query raised DataError before the reader refused it.
    assert refusal(nul_file(), "hogares.csv") == [(3, "Dirección", "sheet_control_character")]
    assert Household.objects.count() == 0


# Exports ------------------------------------------------------------------------------------------------------


@pytest.fixture
def hostile_zone():
    zone = ZoneFactory(code="norte", name="Zona Norte")
    for index, text in enumerate(HOSTILE):
        HouseholdFactory(
            given_name=text, family_name=f"Apellido {index}", address=text, phone=f"+3460000000{index}", zone=zone
        )
    return zone


def export(client, role_users, file_format: str):
    client.force_login(role_users["manager"])
    return client.get(reverse("households_export"), {"zone": "norte", "format": file_format})


def test_the_csv_export_keeps_hostile_text_behind_an_apostrophe(client, role_users, hostile_zone):
    rows = list(csv.reader(io.StringIO(export(client, role_users, "csv").content.decode("utf-8-sig")), delimiter=";"))

    assert sorted((row[0], row[6]) for row in rows[1:]) == sorted(("'" + text, "'" + text) for text in HOSTILE)


def test_the_xlsx_export_keeps_hostile_text_as_text(client, role_users, hostile_zone):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, role_users, "xlsx").content)).active

    cells = [(row[0].value, row[0].data_type, row[6].value, row[6].data_type) for row in sheet.iter_rows(min_row=2)]
    assert sorted(cells) == sorted((text, "s", text, "s") for text in HOSTILE)


def test_an_exported_csv_with_hostile_text_imports_back_to_the_same_names(client, role_users, hostile_zone):
    content = export(client, role_users, "csv").content
    Household.objects.all().delete()

    households_import(actor=None, content=content, file_name="hogares.csv")

    assert sorted(Household.objects.values_list("given_name", flat=True)) == sorted(HOSTILE)


@pytest.mark.parametrize("file_format", [DefusedCSV, DefusedXLSX])
def test_the_admin_export_formats_write_hostile_text_as_text(hostile_zone, file_format):
    dataset = HouseholdResource().export(queryset=Household.objects.order_by("pk"))

    content = file_format().export_data(dataset)

    if file_format is DefusedCSV:
        assert [row[0] for row in csv.reader(io.StringIO(content))][1:] == ["'" + text for text in HOSTILE]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert [(cell.value, cell.data_type) for cell in sheet["A"][1:]] == [(text, "s") for text in HOSTILE]
