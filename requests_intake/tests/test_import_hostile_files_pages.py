"""Household files built to hurt: a sheet declaring a billion cells, NUL bytes, and exports that would run.

Here through the HTTP client (pages, API, admin); the services are tested in test_import_hostile_files_services.py."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_intake.imports import households_import
from requests_intake.models import Household
from requests_intake.tests.helpers.import_hostile_files import HOSTILE, nul_file, xfd_sheet

pytestmark = pytest.mark.django_db


def test_the_import_page_refuses_the_xfd1048576_sheet_with_its_row_and_column(client, role_users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("households_import"), {"file": SimpleUploadedFile("hogares.xlsx", xfd_sheet())})

    assert response.status_code == 200
    assert [(e.row, e.column, e.code) for e in response.context["errors"]] == [(1048576, "XFD", "sheet_too_many_rows")]
    assert Household.objects.count() == 0


def test_the_import_page_shows_the_nul_byte_as_an_error_not_a_server_error(client, role_users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("households_import"), {"file": SimpleUploadedFile("hogares.csv", nul_file())})

    assert response.status_code == 200
    assert [(e.row, e.column, e.code) for e in response.context["errors"]] == [
        (3, "Dirección", "sheet_control_character")
    ]


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
