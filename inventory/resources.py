"""Count sheets: a stock count exported as CSV or XLSX for the shelf, and the filled sheet imported back.

An import is all or nothing: every row is checked first, every error is reported with the row and column the
person sees in their spreadsheet (the header is row 1), and nothing changes if any row is wrong."""

from dataclasses import dataclass

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core import sheets
from core.sheets import SheetError, SheetRefused, cell_int, cell_text
from inventory.counts import count_draft_lock
from inventory.limits import MAX_UNITS_PER_LOT
from inventory.models import Item, StockCount, StockCountLine, StockLot, StockMovement

COLUMNS = ("warehouse", "sku", "item", "lot_code", "expiry_date", "expected", "counted", "reason")
REQUIRED_COLUMNS = ("sku", "lot_code", "counted")
FORMATS = {"csv": sheets.DefusedCSV, "xlsx": sheets.DefusedXLSX}
# A warehouse's lots many times over; a file past these is refused where it crosses them.
SHEET_LIMITS = sheets.SheetLimits(max_bytes=5 * 1024 * 1024, max_rows=20_001, max_columns=40, max_cells=400_000)
FIRST_DATA_ROW = 2  # row 1 of the spreadsheet is the header


class CountImportRefused(SheetRefused):
    """The count sheet had errors; `errors` lists each one and nothing was imported."""


@dataclass(frozen=True)
class ImportSummary:
    rows: int  # rows read into the count
    added: int  # of which, lots that were not in the count yet


def _reasons() -> dict[str, str]:
    """Reason codes, and their labels in the reader's language, to the code."""
    reasons = {}
    for code, label in StockMovement.Reason.choices:
        reasons[str(label).lower()] = code
        reasons[code] = code
    return reasons


class CountSheetResource(resources.ModelResource):
    """One row per count line. Only `counted` and `reason` are read back; the rest says which lot the row is."""

    warehouse = fields.Field(column_name="warehouse", readonly=True)
    sku = fields.Field(attribute="lot__item__sku", column_name="sku", readonly=True)
    item = fields.Field(column_name="item", readonly=True)
    lot_code = fields.Field(attribute="lot__lot_code", column_name="lot_code", readonly=True)
    expiry_date = fields.Field(
        attribute="lot__expiry_date", column_name="expiry_date", readonly=True, widget=widgets.DateWidget("%Y-%m-%d")
    )
    # Numbers stay numbers in XLSX, so the person can sum and sort them.
    expected = fields.Field(
        attribute="expected",
        column_name="expected",
        readonly=True,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    counted = fields.Field(
        attribute="counted", column_name="counted", widget=widgets.IntegerWidget(coerce_to_string=False)
    )
    reason = fields.Field(attribute="reason", column_name="reason")

    class Meta:
        model = StockCountLine
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("sku", "lot_code")
        skip_diff = True
        use_transactions = True

    def __init__(self, *, count: StockCount, sheet_rows: list[int] | None = None):
        super().__init__()
        self.count = count
        self.sheet_rows = sheet_rows or []
        self.lines = {(line.lot.item.sku, line.lot.lot_code): line for line in count.lines.select_related("lot__item")}
        self.lots: dict[tuple[str, str], StockLot] = {}  # lots found for rows that add a line
        self.seen: dict[tuple[str, str], int] = {}  # (sku, lot code) -> the sheet row that named it first
        self.reasons = _reasons()

    def get_queryset(self):
        lines = self.count.lines.select_related("lot__item", "count__warehouse")
        return lines.order_by("lot__item__sku", "lot__lot_code")

    def dehydrate_warehouse(self, line: StockCountLine) -> str:
        return line.count.warehouse.code

    def dehydrate_item(self, line: StockCountLine) -> str:
        return line.lot.item.label

    def sheet_row(self, row_number: int) -> int:
        return self.sheet_rows[row_number - 1] if self.sheet_rows else row_number + 1

    def before_import_row(self, row, row_number=None, **kwargs):
        """Check every column of the row and put clean values back into it; raise all the row's errors at once."""
        errors: dict[str, list[ValidationError]] = {}

        def refuse(column: str, message: str, code: str) -> None:
            errors.setdefault(column, []).append(ValidationError(message, code=code))

        warehouse = cell_text(row.get("warehouse"))
        if warehouse and warehouse != self.count.warehouse.code:
            refuse(
                "warehouse",
                _("this sheet is for warehouse “%(sheet)s” but the count is of “%(count)s”.")
                % {"sheet": warehouse, "count": self.count.warehouse.code},
                "sheet_wrong_warehouse",
            )

        sku, lot_code = cell_text(row.get("sku")), cell_text(row.get("lot_code"))
        row["sku"], row["lot_code"] = sku, lot_code
        if not sku:
            refuse("sku", _("fill in the SKU."), "sku_missing")
        if not lot_code:
            refuse("lot_code", _("fill in the lot code."), "lot_code_missing")
        if sku and lot_code:
            key = (sku, lot_code)
            if key in self.seen:
                refuse(
                    "lot_code",
                    _("lot %(lot)s of %(sku)s is already on row %(row)s.")
                    % {"lot": lot_code, "sku": sku, "row": self.seen[key]},
                    "lot_listed_twice",
                )
            else:
                self.seen[key] = self.sheet_row(row_number)
                if key not in self.lines:
                    lot = (
                        StockLot.objects.filter(warehouse=self.count.warehouse, item__sku=sku, lot_code=lot_code)
                        .select_related("balance")
                        .first()
                    )
                    if lot is not None:
                        self.lots[key] = lot
                    elif not Item.objects.filter(sku=sku).exists():
                        refuse("sku", _("no item has SKU “%(sku)s”.") % {"sku": sku}, "sku_unknown")
                    else:
                        refuse(
                            "lot_code",
                            _("lot “%(lot)s” of %(sku)s is neither in this count nor in warehouse %(warehouse)s.")
                            % {"lot": lot_code, "sku": sku, "warehouse": self.count.warehouse.code},
                            "lot_unknown",
                        )

        raw = row.get("counted")
        counted = cell_int(raw)
        if cell_text(raw) == "":
            refuse("counted", _("fill in the units counted (0 if the shelf is empty)."), "counted_missing")
        elif counted is None:
            refuse(
                "counted",
                _("“%(value)s” is not a whole number of units.") % {"value": cell_text(raw)},
                "counted_invalid",
            )
        elif counted < 0:
            refuse(
                "counted",
                _("%(value)s: a shelf cannot hold fewer than zero units.") % {"value": counted},
                "counted_negative",
            )
        elif counted > MAX_UNITS_PER_LOT:
            refuse(
                "counted",
                _("%(value)s: a lot holds at most %(max)s units.") % {"value": counted, "max": MAX_UNITS_PER_LOT},
                "quantity_too_large",
            )
        else:
            row["counted"] = counted

        if "reason" in row:
            reason = cell_text(row["reason"])
            if not reason:
                row["reason"] = StockMovement.Reason.COUNT
            elif reason.lower() in self.reasons:
                row["reason"] = self.reasons[reason.lower()]
            else:
                refuse(
                    "reason",
                    _("“%(value)s” is not a reason; use one of: %(reasons)s.")
                    % {"value": reason, "reasons": ", ".join(StockMovement.Reason.values)},
                    "reason_invalid",
                )
        if errors:
            raise ValidationError(errors)

    def get_instance(self, instance_loader, row):
        return self.lines.get((row["sku"], row["lot_code"]))

    def init_instance(self, row=None):
        lot = self.lots[row["sku"], row["lot_code"]]
        return StockCountLine(count=self.count, lot=lot, expected=lot.balance.quantity, counted=0)


def count_sheet_export(*, count: StockCount, file_format: str) -> tuple[bytes, str, str]:
    """The count as a sheet to fill in: (content, content type, file name)."""
    if file_format not in FORMATS:
        raise ValidationError(
            _("Count sheets come as %(formats)s.") % {"formats": ", ".join(FORMATS)}, code="sheet_format_unknown"
        )
    sheet_format = FORMATS[file_format]()
    content = sheet_format.export_data(CountSheetResource(count=count).export())
    if isinstance(content, str):
        content = content.encode("utf-8-sig")  # the byte-order mark makes Excel read accents right
    name = f"count-{count.pk}-{count.warehouse.code}-{count.counted_on.isoformat()}.{file_format}"
    return content, sheet_format.get_content_type(), name


def sheet_read(*, content: bytes, file_format: str) -> tablib.Dataset:
    """A dataset from an uploaded sheet, read within the count sheet's bounds, or a refusal saying why not."""
    if file_format not in FORMATS:
        raise CountImportRefused([SheetError(1, "", _("upload a .csv or .xlsx file, as exported from this page."))])
    try:
        sheet = sheets.sheet_read(content=content, file_name=f"sheet.{file_format}", limits=SHEET_LIMITS)
    except SheetRefused as refused:
        raise CountImportRefused(refused.errors) from refused
    return sheets.sheet_dataset(sheet)


def _headers_unknown(headers: list[str]) -> list[SheetError]:
    """Headers the file neither uses nor marks to leave out: a misspelt “counted” would otherwise be dropped."""
    known = {column: column for column in COLUMNS}
    return [
        sheets.header_unknown(column=index, header=header, key=header, known=known)
        for index, header in enumerate(headers, 1)
        if header and header not in known and not sheets.header_ignored(header)
    ]


def _sheet_tidy(dataset: tablib.Dataset) -> tuple[tablib.Dataset, list[int]]:
    """Headers in lower case, blank rows dropped; and the spreadsheet row number of each remaining row."""
    headers = [cell_text(header).lower() for header in dataset.headers or []]
    tidy = tablib.Dataset(headers=headers)
    sheet_rows = []
    for number, values in enumerate(dataset, FIRST_DATA_ROW):
        if any(cell_text(value) for value in values):
            tidy.append(values)
            sheet_rows.append(number)
    return tidy, sheet_rows


@transaction.atomic
def count_sheet_import(*, actor, count: StockCount, dataset: tablib.Dataset) -> ImportSummary:
    """Read counted units and reasons from a filled sheet into a draft count, all or nothing.

    Raises CountImportRefused listing every error, each with its row and column; nothing changes then."""
    count = count_draft_lock(count)
    dataset, sheet_rows = _sheet_tidy(dataset)
    unknown = _headers_unknown(dataset.headers)
    if unknown:
        raise CountImportRefused(unknown)
    missing = [column for column in REQUIRED_COLUMNS if column not in dataset.headers]
    if missing:
        raise CountImportRefused(
            [
                SheetError(
                    1,
                    column,
                    _("the sheet has no such column; export a count sheet and fill it in."),
                    code="sheet_missing_column",
                )
                for column in missing
            ]
        )
    if not sheet_rows:
        raise CountImportRefused(
            [SheetError(FIRST_DATA_ROW, "", _("the sheet has no rows to import."), code="sheet_empty")]
        )

    resource = CountSheetResource(count=count, sheet_rows=sheet_rows)
    result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    errors = [SheetError(1, "", str(error.error)) for error in result.base_errors]
    for invalid in result.invalid_rows:
        row = resource.sheet_row(invalid.number)
        # The row's ValidationError itself, not import-export's message_dict: it keeps each refusal's code.
        refused = getattr(invalid.error, "error_dict", None) or {NON_FIELD_ERRORS: invalid.error.error_list}
        for column in (*COLUMNS, NON_FIELD_ERRORS):
            where = "" if column == NON_FIELD_ERRORS else column
            errors += [
                SheetError(row, where, message, code=error.code or "invalid")
                for error in refused.get(column, [])
                for message in error.messages
            ]
    for failed in result.error_rows:
        errors += [SheetError(resource.sheet_row(failed.number), "", str(error.error)) for error in failed.errors]
    if errors:
        raise CountImportRefused(sorted(errors, key=lambda error: error.row))
    return ImportSummary(rows=len(sheet_rows), added=result.totals["new"])
