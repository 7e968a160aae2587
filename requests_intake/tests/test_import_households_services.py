"""Importing households from the files offices really send: all or nothing, every error with its row and column.

Here the services, models and commands, called directly; the pages are tested in test_import_households_pages.py."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from core.tests.factories import UserFactory
from requests_intake import imports
from requests_intake.imports import HouseholdImportRefused, RowError, households_import
from requests_intake.models import Household
from requests_intake.resources import HouseholdResource, OfficeCSV
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.import_households import SAMPLE, SAMPLE_ERRORS, sample_cleaned

pytestmark = pytest.mark.django_db


HEADER = (
    "Nombre;Apellidos;Tipo documento;Documento;Teléfono;Dirección;Código postal;Municipio;Fecha nacimiento;"
    "Miembros;Zona;Observaciones"
)


CARMEN = (
    "Carmen;Sánchez Gómez;DNI;00000000T;968 12 34 56;C/ Duque 21, 2º;30202;Cartagena;14/09/1947;1;Zona 2;"
    "Movilidad reducida, llamar antes"
)


AHMED = "Ahmed;El Amrani;NIE;Y1234567X;+34 622 334 455;Avda. América 8;30204;Cartagena;02/02/1981;5;Zona 3;Sin cerdo"


SAMPLE_CODES = [
    (6, "Documento", "dni_bad_letter"),
    (7, "Apellidos", "cell_missing"),
    (7, "Documento", "dni_malformed"),
    (7, "Dirección", "cell_missing"),
]


def refusal(content: bytes, file_name: str = "households.csv", **kwargs) -> list[RowError]:
    with pytest.raises(HouseholdImportRefused) as refused:
        households_import(actor=None, content=content, file_name=file_name, **kwargs)
    return refused.value.errors


def as_tuples(errors: list[RowError]) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.code) for error in errors]


def csv_file(*rows: str, header: str = HEADER, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return newline.join([header, *rows, ""]).encode(encoding)


# The sample file -----------------------------------------------------------------------------------------------


def test_the_sample_is_refused_with_each_wrong_row_and_column(zones):
    errors = refusal(SAMPLE.read_bytes())

    assert as_tuples(errors) == SAMPLE_CODES
    assert Household.objects.count() == 0


def test_a_refusal_names_row_and_column_as_the_spreadsheet_does(zones):
    errors = refusal(SAMPLE.read_bytes())

    assert str(errors[0]) == (
        "row 6, column Documento: The DNI letter of “12345678B” is wrong: check the number with the person."
    )


def test_the_cleaned_sample_imports_every_household_normalised(zones):
    result = households_import(actor=None, content=sample_cleaned(), file_name="households_excel_es.csv")

    assert result.created == 6
    assert Household.objects.count() == 6
    carmen = Household.objects.get(given_name="Carmen")
    assert (carmen.family_name, carmen.document_type, carmen.document_number) == ("Sánchez Gómez", "dni", "00000000T")
    assert carmen.phone == "+34968123456"
    assert carmen.birth_date == dt.date(1947, 9, 14)
    assert (carmen.members, carmen.zone, carmen.address) == (1, zones[2], "C/ Duque 21, 2º")
    assert carmen.access_notes == "Movilidad reducida, llamar antes"
    ahmed = Household.objects.get(given_name="Ahmed")
    assert (ahmed.document_type, ahmed.document_number, ahmed.phone) == ("nie", "Y1234567X", "+34622334455")
    rosa = Household.objects.get(family_name="Pérez")
    assert (rosa.given_name, rosa.zone, rosa.members) == ("Rosa María", zones[1], 3)  # " Rosa María " and "zona 1"
    ivan = Household.objects.get(given_name="Iván")
    assert (ivan.document_type, ivan.document_number, ivan.birth_date) == ("none", "", None)
    assert ivan.access_notes == "Sin documentación"
    elena = Household.objects.get(given_name="Elena")
    assert (elena.document_number, elena.birth_date) == ("50000000R", dt.date(1990, 1, 1))  # written 1/1/1990


def test_imported_households_are_found_by_search_and_have_history(zones):
    actor = UserFactory()

    households_import(actor=actor, content=sample_cleaned(), file_name="households_excel_es.csv")

    carmen = Household.objects.get(given_name="Carmen")
    record = carmen.history.get()
    assert (record.history_type, record.history_user) == ("+", actor)
    assert record.history_change_reason == "Imported from households_excel_es.csv"
    assert (record.given_name, record.document_number, record.zone, record.birth_date) == (
        "Carmen",
        "00000000T",
        zones[2],
        dt.date(1947, 9, 14),
    )
    assert dt.timedelta(0) <= timezone.now() - record.history_date < dt.timedelta(minutes=1)
    assert Household.history.count() == 6
    stored = carmen.search_text
    carmen.save()  # what save() computes for the same record
    assert stored == carmen.search_text


def test_a_dry_run_checks_every_row_and_saves_nothing(zones):
    result = households_import(actor=None, content=sample_cleaned(), file_name="households.csv", dry_run=True)

    assert (result.count, result.created) == (6, 0)
    assert [row.row for row in result.rows] == [2, 3, 4, 5, 6, 7]
    assert result.rows[0].fields["zone"] == zones[2]
    assert Household.objects.count() == 0


def test_a_dry_run_of_the_sample_lists_the_same_errors(zones):
    assert as_tuples(refusal(SAMPLE.read_bytes(), dry_run=True)) == SAMPLE_CODES


# Encodings, separators, headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_every_encoding_excel_saves_reads_the_accents_right(zones, encoding):
    households_import(actor=None, content=csv_file(CARMEN, encoding=encoding), file_name="f.csv")

    household = Household.objects.get()
    assert (household.family_name, household.address) == ("Sánchez Gómez", "C/ Duque 21, 2º")


def test_a_comma_separated_file_with_quoted_commas_and_unix_line_ends_is_read(zones):
    header = HEADER.replace(";", ",")
    row = (
        'Carmen,Sánchez,DNI,00000000T,968123456,"C/ Duque 21, 2º",30202,Cartagena,14/09/1947,1,Zona 2,'
        '"Llamar, timbre roto"'
    )

    households_import(actor=None, content=csv_file(row, header=header, newline="\n"), file_name="f.csv")

    household = Household.objects.get()
    assert (household.address, household.access_notes) == ("C/ Duque 21, 2º", "Llamar, timbre roto")


def test_headers_are_matched_whatever_their_case_spaces_accents_and_language(zones):
    header = " NOMBRE ;surname;document type;dni;Telefono;direccion;CP;Localidad;date of birth;Nº miembros;ZONE;notas"
    row = "Carmen;Sánchez;dni;00000000-t;968123456;C/ Duque 21;30202;Cartagena;1947-09-14;2;zona-2;"

    result = households_import(actor=None, content=csv_file(row, header=header), file_name="f.csv")

    household = Household.objects.get()
    assert (household.document_number, household.postcode, household.members) == ("00000000T", "30202", 2)
    assert (household.birth_date, household.zone) == (dt.date(1947, 9, 14), zones[2])
    assert result.ignored_columns == []


def test_a_column_the_import_does_not_know_is_refused_at_its_header(zones):
    errors = refusal(csv_file(CARMEN + ";400", header=HEADER + ";Ingresos"))

    assert [(error.row, error.column, error.code) for error in errors] == [(1, "Ingresos", "sheet_unknown_column")]
    assert errors[0].message == (
        "column M, “Ingresos”, is not one this import reads. To leave a column out, start its header with #."
    )
    assert Household.objects.count() == 0


def test_a_misspelt_optional_column_is_refused_with_the_closest_known_column(zones):
    header = HEADER.replace("Observaciones", "Obervaciones")

    errors = refusal(csv_file(CARMEN, header=header))

    assert as_tuples(errors) == [(1, "Obervaciones", "sheet_unknown_column")]
    assert errors[0].message == (
        "column L, “Obervaciones”, is not one this import reads: did you mean “Observaciones”? To leave a "
        "column out, start its header with #."
    )
    assert Household.objects.count() == 0


@pytest.mark.parametrize("marked", ["#Ingresos", "# Observaciones internas", "ignorar: Ingresos", "Ignore:Income"])
def test_a_column_the_file_marks_to_ignore_is_left_out_and_the_rest_imported(zones, marked):
    content = csv_file(CARMEN + ";400", header=f"{HEADER};{marked}")

    result = households_import(actor=None, content=content, file_name="f.csv")

    assert result.ignored_columns == [marked.strip()]
    assert Household.objects.get().access_notes == "Movilidad reducida, llamar antes"


def test_a_file_without_a_required_column_is_refused_at_its_header(zones):
    header = HEADER.replace("Apellidos", "#Segundo nombre")

    errors = refusal(csv_file(CARMEN, header=header))

    assert as_tuples(errors) == [(1, "", "column_missing")]
    assert Household.objects.count() == 0


def test_two_columns_for_the_same_field_are_refused(zones):
    errors = refusal(csv_file(CARMEN + ";00000000T", header=HEADER + ";DNI"))

    assert as_tuples(errors) == [(1, "DNI", "column_repeated")]


def test_the_member_and_optional_columns_may_be_left_out(zones):
    header = "Nombre;Apellidos;Dirección;Municipio"

    households_import(
        actor=None, content=csv_file("Iván;Muñoz;C/ San Fernando 10;Cartagena", header=header), file_name="f.csv"
    )

    household = Household.objects.get()
    assert (household.members, household.document_type, household.phone, household.zone) == (1, "none", "", None)


def test_a_row_with_more_cells_than_the_header_is_refused(zones):
    errors = refusal(csv_file(CARMEN + ";extra"))

    assert as_tuples(errors) == [(2, "", "row_too_many_cells")]


def test_blank_rows_are_skipped_but_keep_the_row_numbers(zones):
    errors = refusal(csv_file(CARMEN, ";;;;;;;;;;;", "", AHMED.replace("Y1234567X", "Y1234567A")))

    assert [(error.row, error.column) for error in errors] == [(5, "Documento")]


def test_an_empty_file_or_one_with_only_a_header_is_refused():
    assert as_tuples(refusal(b"")) == [(0, "", "sheet_no_header")]
    assert as_tuples(refusal(csv_file())) == [(2, "", "no_households")]


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused():
    assert as_tuples(refusal(b"%PDF-1.4", file_name="list.pdf")) == [(0, "", "sheet_format")]
    assert as_tuples(refusal(b"PK\x03\x04 broken", file_name="list.xlsx")) == [(0, "", "sheet_unreadable")]


# Cells --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("Fecha nacimiento", "31/02/1990", "birth_date_not_a_date"),
        ("Fecha nacimiento", "14-sep-1947", "birth_date_not_a_date"),
        ("Fecha nacimiento", "01/01/2999", "birth_date_impossible"),
        ("Miembros", "0", "members_out_of_range"),
        ("Miembros", "dos", "members_out_of_range"),
        ("Miembros", "2.5", "members_out_of_range"),
        ("Teléfono", "12", "phone_invalid"),
        ("Tipo documento", "Carnet", "document_type_unknown"),
        ("Zona", "Zona 9", "zone_unknown"),
        ("Nombre", "", "cell_missing"),
        ("Municipio", "", "cell_missing"),
    ],
)
def test_a_wrong_cell_is_refused_with_its_column_and_what_to_do(zones, column, value, code):
    cells = CARMEN.split(";")
    cells[HEADER.split(";").index(column)] = value

    errors = refusal(csv_file(";".join(cells)))

    assert as_tuples(errors) == [(2, column, code)]
    assert Household.objects.count() == 0


def test_a_person_without_papers_cannot_have_a_document_number(zones):
    errors = refusal(csv_file(CARMEN.replace(";DNI;", ";Ninguno;")))

    assert as_tuples(errors) == [(2, "Documento", "number_without_document")]


def test_a_dni_without_a_type_is_recognised_and_checked(zones):
    households_import(actor=None, content=csv_file(CARMEN.replace(";DNI;", ";;")), file_name="f.csv")

    assert Household.objects.get().document_type == "dni"


def test_a_passport_and_a_chilean_rut_are_accepted(zones):
    rows = [
        CARMEN.replace(";DNI;00000000T;", ";Pasaporte;xk 123 456;"),
        AHMED.replace(";NIE;Y1234567X;", ";RUT;12.345.678-5;"),
    ]

    households_import(actor=None, content=csv_file(*rows), file_name="f.csv")

    assert sorted(Household.objects.values_list("document_type", "document_number")) == [
        ("passport", "XK123456"),
        ("rut", "12345678-5"),
    ]


def test_coordinates_with_a_decimal_comma_are_kept_and_decide_the_zone(zones):
    zones[4].polygon = [[37.60, -0.99], [37.61, -0.99], [37.61, -0.98], [37.60, -0.98]]
    zones[4].save()
    header = HEADER.replace(";Zona;", ";Latitud;Longitud;Zona;")
    row = CARMEN.replace(";Zona 2;", ";37,6051;-0,985;;")

    households_import(actor=None, content=csv_file(row, header=header), file_name="f.csv")

    household = Household.objects.get()
    assert (household.latitude, household.longitude) == (Decimal("37.605100"), Decimal("-0.985000"))
    assert household.zone == zones[4]  # the point is inside zone 4's boundary, whatever the postcode says


def test_a_latitude_without_longitude_is_refused(zones):
    header = HEADER.replace(";Zona;", ";Latitud;Longitud;Zona;")
    errors = refusal(csv_file(CARMEN.replace(";Zona 2;", ";37,6;;Zona 2;"), header=header))

    assert as_tuples(errors) == [(2, "Longitud", "point_incomplete")]


def test_without_a_zone_the_postcode_decides_it(zones):
    households_import(
        actor=None, content=csv_file(CARMEN.replace(";30202;", ";30204;").replace("Zona 2", "")), file_name="f.csv"
    )

    assert Household.objects.get().zone == zones[3]


def test_a_known_street_is_placed_on_the_map_from_the_street_table(zones):
    row = CARMEN.replace("C/ Duque 21, 2º", "C/ del Almendro 5, 2º").replace(";30202;", ";30205;")

    result = households_import(actor=None, content=csv_file(row), file_name="f.csv")

    household = Household.objects.get()
    assert (household.latitude, household.longitude) == (Decimal("37.617393"), Decimal("-0.972710"))
    assert result.unplaced == 0


def test_long_observations_are_cut_to_the_field_with_an_ellipsis(zones):
    long_note = "Llamar antes. " * 30
    row = CARMEN.replace("Movilidad reducida, llamar antes", long_note)

    households_import(actor=None, content=csv_file(row), file_name="f.csv")

    notes = Household.objects.get().access_notes
    assert len(notes) == 200
    assert notes == long_note[:199] + "…"


# Duplicates ---------------------------------------------------------------------------------------------------


def test_the_same_document_twice_in_the_file_is_refused_on_the_second_row(zones):
    second = AHMED.replace(";NIE;Y1234567X;", ";DNI;00000000-T;")

    errors = refusal(csv_file(CARMEN, second))

    assert as_tuples(errors) == [(3, "Documento", "document_repeated")]


def test_the_same_phone_twice_in_the_file_is_refused(zones):
    second = AHMED.replace("+34 622 334 455", "968-123-456")

    errors = refusal(csv_file(CARMEN, second))

    assert as_tuples(errors) == [(3, "Teléfono", "phone_repeated")]


def test_a_document_already_registered_is_refused_naming_the_household(zones):
    registered = HouseholdFactory(
        given_name="Carmen", family_name="Sánchez", document_type="dni", document_number="00000000T"
    )

    errors = refusal(csv_file(AHMED, CARMEN))

    assert as_tuples(errors) == [(3, "Documento", "document_registered")]
    assert errors[0].message == f"00000000T is already registered as Carmen Sánchez (household {registered.pk})."
    assert Household.objects.count() == 1


def test_a_record_merged_into_another_does_not_block_its_document(zones):
    kept = HouseholdFactory()
    HouseholdFactory(document_type="dni", document_number="00000000T", merged_into=kept)

    households_import(actor=None, content=csv_file(CARMEN), file_name="f.csv")

    assert Household.objects.filter(document_number="00000000T", merged_into__isnull=True).count() == 1


def test_a_document_registered_between_the_check_and_the_save_refuses_the_whole_file(zones, monkeypatch):
    HouseholdFactory(document_type="dni", document_number="00000000T")
    monkeypatch.setattr(imports.HouseholdSheetChecker, "registered", lambda self: [])

    errors = refusal(csv_file(AHMED, CARMEN))

    assert as_tuples(errors) == [(0, "", "registered_meanwhile")]
    assert Household.objects.count() == 1


def test_every_row_error_of_a_long_file_is_listed_not_just_the_first(zones):
    rows = [CARMEN.replace("00000000T", f"{n:08d}").replace("968 12 34 56", f"6{n:08d}") for n in range(1, 41)]

    errors = refusal(csv_file(*rows))

    assert [error.row for error in errors] == list(range(2, 42))


# XLSX ---------------------------------------------------------------------------------------------------------


def xlsx_file(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_typed_cells_is_read_like_a_csv(zones):
    content = xlsx_file(
        [
            HEADER.split(";"),
            [
                "Carmen ",
                "Sánchez",
                "DNI",
                "00000000T",
                968123456,
                "C/ Duque 21",
                30202,
                "Cartagena",
                dt.datetime(1947, 9, 14),  # noqa: DTZ001 - a spreadsheet date has no time zone
                2.0,
                "ZONA 2",
                None,
            ],
            [None] * 12,
            [
                "Luis",
                "Ortega",
                "NIE",
                "X1234567L",
                "612999888",
                "C/ Gisbert 1",
                8001,
                "Barcelona",
                "1/2/1950",
                1,
                None,
                "",
            ],
        ]
    )

    households_import(actor=None, content=content, file_name="hogares.xlsx")

    carmen = Household.objects.get(given_name="Carmen")
    assert (carmen.phone, carmen.postcode, carmen.members) == ("+34968123456", "30202", 2)
    assert (carmen.birth_date, carmen.zone) == (dt.date(1947, 9, 14), zones[2])
    luis = Household.objects.get(given_name="Luis")
    assert (luis.postcode, luis.birth_date) == ("08001", dt.date(1950, 2, 1))  # Excel dropped the leading zero


def test_an_xlsx_error_names_the_spreadsheet_row(zones):
    content = xlsx_file(
        [HEADER.split(";"), CARMEN.split(";"), [None] * 12, AHMED.replace("Y1234567X", "Y1").split(";")]
    )

    errors = refusal(content, file_name="hogares.xlsx")

    assert [(error.row, error.column) for error in errors] == [(4, "Documento")]


# The command --------------------------------------------------------------------------------------------------


def test_the_command_refuses_the_sample_listing_every_error_and_exits_1(zones, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("import_households", str(SAMPLE))

    assert exited.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"row {row}, column {column}: {message}" for row, column, message in SAMPLE_ERRORS] + [
        "4 errors; nothing was imported."
    ]
    assert Household.objects.count() == 0


def test_the_command_imports_a_clean_file(zones, tmp_path, capsys):
    path = tmp_path / "clean.csv"
    path.write_bytes(sample_cleaned())

    call_command("import_households", str(path))

    assert capsys.readouterr().out.splitlines() == [
        "6 households imported.",
        "6 of them have no map point: their streets are not in the street table.",
    ]
    assert Household.objects.count() == 6


def test_the_command_dry_run_says_what_would_be_imported_and_saves_nothing(zones, tmp_path, capsys):
    path = tmp_path / "clean.csv"
    path.write_bytes(sample_cleaned())

    call_command("import_households", str(path), "--dry-run")

    assert capsys.readouterr().out.splitlines()[0] == "6 households would be imported."
    assert Household.objects.count() == 0


def test_the_command_says_when_the_file_cannot_be_read(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("import_households", str(tmp_path / "missing.csv"))

    assert exited.value.code == 1
    assert "missing.csv cannot be read" in capsys.readouterr().err


# The admin ----------------------------------------------------------------------------------------------------


def test_the_admin_import_checks_rows_with_the_same_rules_and_rolls_back_a_wrong_file(zones):
    resource = HouseholdResource()

    result = resource.import_data(OfficeCSV().create_dataset(SAMPLE.read_bytes()), dry_run=False)

    assert result.has_validation_errors()
    assert [invalid.number + 1 for invalid in result.invalid_rows] == [6, 7]
    assert result.invalid_rows[1].error_dict["family_name"] == ["row 7, column Apellidos: fill in the family name."]
    assert Household.objects.count() == 0


def test_the_admin_import_of_a_clean_file_creates_the_households(zones):
    resource = HouseholdResource()

    result = resource.import_data(OfficeCSV().create_dataset(sample_cleaned()), dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["new"] == 6
    carmen = Household.objects.get(given_name="Carmen")
    assert (carmen.phone, carmen.zone) == ("+34968123456", zones[2])
    assert carmen.search_text == "carmen sanchez gomez 00000000t +34968123456 c/ duque 21, 2o 30202"


def test_the_admin_dry_run_saves_nothing(zones):
    result = HouseholdResource().import_data(OfficeCSV().create_dataset(sample_cleaned()), dry_run=True)

    assert result.totals["new"] == 6
    assert Household.objects.count() == 0


def test_a_file_in_excels_unicode_text_is_read(zones):
    content = csv_file(CARMEN.replace(";", "\t"), header=HEADER.replace(";", "\t"), encoding="utf-16")

    households_import(actor=None, content=content, file_name="hogares.txt")

    assert Household.objects.get().family_name == "Sánchez Gómez"


def test_bytes_no_spreadsheet_writes_are_refused_with_what_to_do():
    assert as_tuples(refusal(b"Nombre;Apellidos\r\n\x81\x8d;x\r\n")) == [(0, "", "sheet_encoding")]


def test_a_wrong_row_is_still_checked_for_repeats_and_registered_documents(zones):
    registered = HouseholdFactory(given_name="Ana", family_name="Gil", document_type="nie", document_number="Y1234567X")
    wrong_phone = AHMED.replace("+34 622 334 455", "12")

    errors = refusal(csv_file(CARMEN, wrong_phone, CARMEN.replace("968 12 34 56", "611111111")))

    assert as_tuples(errors) == [
        (3, "Documento", "document_registered"),
        (3, "Teléfono", "phone_invalid"),
        (4, "Documento", "document_repeated"),
    ]
    assert f"(household {registered.pk})" in errors[0].message
