"""Household files built to hurt: a sheet declaring a billion cells, NUL bytes, and exports that would run.

Here the services, models and commands, called directly; the pages are tested in test_import_hostile_files_pages.py."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from core.sheets import DefusedCSV, DefusedXLSX
from requests_intake.imports import HouseholdImportRefused, households_import
from requests_intake.models import Household
from requests_intake.resources import HouseholdResource
from requests_intake.tests.helpers.import_hostile_files import HOSTILE, nul_file, xfd_sheet

pytestmark = pytest.mark.django_db


def refusal(content: bytes, file_name: str) -> list[tuple[int, str, str]]:
    with pytest.raises(HouseholdImportRefused) as refused:
        households_import(actor=None, content=content, file_name=file_name)
    return [(error.row, error.column, error.code) for error in refused.value.errors]


# The sheet that took the server down --------------------------------------------------------------------------


def test_an_xlsx_with_a_cell_at_xfd1048576_is_refused_at_that_cell_and_nothing_is_saved():
    assert refusal(xfd_sheet(), "hogares.xlsx") == [(1048576, "XFD", "sheet_too_many_rows")]
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


def test_a_nul_byte_in_an_address_is_refused_with_its_row_and_column():
    assert refusal(nul_file(), "hogares.csv") == [(3, "Dirección", "sheet_control_character")]
    assert Household.objects.count() == 0


@pytest.mark.postgres
def test_a_nul_byte_in_an_address_is_refused_on_postgresql_before_any_query_sees_it():
    # PostgreSQL refuses NUL in text: the street lookup's query raised DataError before the reader refused it.
    assert refusal(nul_file(), "hogares.csv") == [(3, "Dirección", "sheet_control_character")]
    assert Household.objects.count() == 0


@pytest.mark.parametrize("file_format", [DefusedCSV, DefusedXLSX])
def test_the_admin_export_formats_write_hostile_text_as_text(hostile_zone, file_format):
    dataset = HouseholdResource().export(queryset=Household.objects.order_by("pk"))

    content = file_format().export_data(dataset)

    if file_format is DefusedCSV:
        assert [row[0] for row in csv.reader(io.StringIO(content))][1:] == ["'" + text for text in HOSTILE]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert [(cell.value, cell.data_type) for cell in sheet["A"][1:]] == [(text, "s") for text in HOSTILE]
