"""Households as django-import-export sees them: the columns of an export, and the admin's import with preview.

Exports are written by core.sheets (`csv_text`, `xlsx_content`, `DefusedCSV`, `DefusedXLSX`), whose one guard
keeps text a spreadsheet would run as a formula as text.

The admin's import checks each row with the same `HouseholdSheetChecker` as the import page and the command, so
the rules are the same everywhere; a file with any wrong row is rolled back whole."""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from core.dates import DAY_FORMAT
from core.sheets import sheet_dataset
from requests_intake.imports import COLUMN_LABELS, HEADER_ROW, HouseholdSheetChecker, household_sheet_read
from requests_intake.models import Household, Zone


class OfficeCSV(CSV):
    """CSV read as bytes, so the encoding and the separator are found in the file rather than assumed."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream) -> tablib.Dataset:
        return sheet_dataset(household_sheet_read(content=in_stream, file_name="households.csv"))


class OfficeXLSX(XLSX):
    def create_dataset(self, in_stream) -> tablib.Dataset:
        return sheet_dataset(household_sheet_read(content=in_stream, file_name="households.xlsx"))


class HouseholdResource(resources.ModelResource):
    """One row per household, with headers in the reader's language; imports only create households."""

    document_type = fields.Field(attribute="document_type")
    birth_date = fields.Field(attribute="birth_date", widget=widgets.DateWidget(DAY_FORMAT))
    zone = fields.Field(attribute="zone", widget=widgets.ForeignKeyWidget(Zone, "name"))

    class Meta:
        model = Household
        fields = tuple(COLUMN_LABELS)
        export_order = tuple(COLUMN_LABELS)
        force_init_instance = True  # a row never updates a registered household
        use_transactions = True
        clean_model_instances = False  # the checker has applied intake's rules already

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, label in COLUMN_LABELS.items():
            self.fields[name].column_name = label
        self.checker: HouseholdSheetChecker | None = None
        self._checked = None
        self._skip = False

    def get_queryset(self):
        return Household.objects.filter(merged_into__isnull=True).select_related("zone")

    def dehydrate_document_type(self, household: Household) -> str:
        return household.get_document_type_display()

    # Import: every row through the checker; a wrong row makes the whole import roll back.

    def import_data(self, dataset, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.checker = HouseholdSheetChecker(dataset.headers or [])
        if self.checker.header_errors:
            raise ValidationError(
                [ValidationError(str(error), code=error.code) for error in self.checker.header_errors]
            )

    def before_import_row(self, row, **kwargs):
        values = list(row.values())
        self._checked = None
        self._skip = self.checker.header_errors or all(value in (None, "") for value in values)
        if self._skip:
            return
        checked, errors = self.checker.check(kwargs["row_number"] + HEADER_ROW, values)
        errors += self.checker.registered()
        if errors:
            checked = None
        if errors:
            by_field: dict[str, list[ValidationError]] = {}
            for error in errors:
                key = error.field if error.field in self.fields else NON_FIELD_ERRORS
                by_field.setdefault(key, []).append(ValidationError(str(error), code=error.code))
            raise ValidationError(by_field)
        self._checked = checked

    def init_instance(self, row=None):
        return Household(**self._checked.fields) if self._checked else Household()

    def import_instance(self, instance, row, **kwargs):
        """The checker has filled the instance; the widgets would read the file's columns again, less strictly."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self._skip
