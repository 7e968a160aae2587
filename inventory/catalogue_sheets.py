"""The catalogue as spreadsheets: items, and packs with their components, exported and imported back.

An import is all or nothing, like the households import: every row is checked before anything is saved, each
error names the row as the spreadsheet numbers it (the header is row 1) and the column as the file names it, and
nothing changes if any row is wrong. Rows are matched by SKU (items) and by pack code (packs): a known one is
updated, an unknown one created. The headers are the export's own, so an exported file imports back unchanged.

Items: a column left out of the file keeps each item's value (or the default for a new item). A blank cell clears
the optional texts (English name, allergens) and the shelf life (goods that do not expire); a blank unit, unit
cost, VAT rate, safety stock or cold chain keeps the value it had. Packs: one row per component; the pack's own
columns may be left blank after its first row, and a pack's components become exactly those of the file."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import sheets
from core.sheets import SheetError, SheetRefused, cell_decimal, cell_int, cell_text
from inventory.limits import MAX_UNITS_PER_PACK_COMPONENT
from inventory.models import Item, Pack, PackComponent, Programme, VatRate

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEET_LIMITS = sheets.SheetLimits(max_bytes=5 * 1024 * 1024, max_rows=50_001, max_columns=40, max_cells=800_000)
HEADER_ROW = sheets.HEADER_ROW

ITEM_COLUMNS = (
    "sku",
    "name",
    "name_en",
    "category",
    "unit",
    "weight_kg",
    "volume_l",
    "shelf_life_days",
    "allergens",
    "cold_chain",
    "safety_stock",
    "unit_cost",
    "vat_rate",
)
ITEM_REQUIRED = ("sku", "name", "category", "weight_kg", "volume_l")
PACK_COLUMNS = ("pack_code", "pack_name", "pack_name_en", "size", "programme", "item_sku", "quantity")
PACK_REQUIRED = ("pack_code", "pack_name", "item_sku", "quantity")
# Longest shelf life taken: ten years covers tins and water; more is a typo.
MAX_SHELF_LIFE_DAYS = 3650
MAX_SAFETY_STOCK = 1_000_000
YES = {"yes", "y", "si", "sí", "s", "true", "1", "x", "sì"}
NO = {"no", "n", "false", "0"}


class CatalogueImportRefused(SheetRefused):
    """The catalogue sheet had errors; `errors` lists each one and nothing was imported."""


@dataclass
class ImportSummary:
    rows: int = 0  # data rows read
    created: int = 0  # items or packs that were not in the catalogue
    updated: int = 0  # known ones whose values changed
    unchanged: int = 0  # known ones the file left as they were
    dry_run: bool = False


# Reading ------------------------------------------------------------------------------------------------------


def _choices(choices: list[tuple], *, numbers: bool = False) -> dict[str, object]:
    """Each choice by its code and by its label in every interface language, lower case, to its value."""
    from django.conf import settings

    known: dict[str, object] = {}
    for value, label in choices:
        known[str(value).lower()] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                known[str(label).lower()] = value
        if numbers:
            known[f"{value} %"] = value
            known[f"{value}%"] = value
    return known


@dataclass
class _Sheet:
    columns: dict[str, int]  # column name → index in each row's values
    rows: list[tuple[int, list]]


def _sheet_read(*, content: bytes, file_name: str, columns: tuple, required: tuple) -> _Sheet:
    try:
        sheet = sheets.sheet_read(content=content, file_name=file_name, limits=SHEET_LIMITS)
    except SheetRefused as refused:
        raise CatalogueImportRefused(refused.errors) from refused
    found: dict[str, int] = {}
    errors: list[SheetError] = []
    known = {column: column for column in columns}
    for index, header in enumerate(sheet.headers):
        name = cell_text(header).lower()
        if not name or sheets.header_ignored(name):
            continue
        if name not in known:
            errors.append(sheets.header_unknown(column=index + 1, header=cell_text(header), key=name, known=known))
        elif name in found:
            errors.append(
                SheetError(
                    HEADER_ROW,
                    name,
                    _("the column “%(column)s” appears twice; keep one.") % {"column": name},
                    code="catalogue_duplicate_column",
                )
            )
        else:
            found[name] = index
    errors += [
        SheetError(
            HEADER_ROW,
            column,
            _("the file has no “%(column)s” column, which this import needs.") % {"column": column},
            code="catalogue_missing_column",
        )
        for column in required
        if column not in found
    ]
    if errors:
        raise CatalogueImportRefused(errors)
    if not sheet.rows:
        raise CatalogueImportRefused(
            [SheetError(HEADER_ROW + 1, "", _("the file has no rows to import."), code="catalogue_empty")]
        )
    return _Sheet(columns=found, rows=sheet.rows)


class _Row:
    """One data row: its cells by column name, and the errors found in it."""

    def __init__(self, number: int, values: list, columns: dict[str, int], errors: list[SheetError]):
        self.number = number
        self.values = values
        self.columns = columns
        self.errors = errors

    def has(self, column: str) -> bool:
        return column in self.columns

    def raw(self, column: str):
        index = self.columns.get(column)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, column: str) -> str:
        return cell_text(self.raw(column))

    def refuse(self, column: str, message: str, code: str) -> None:
        self.errors.append(SheetError(self.number, column, message, code=code))

    def required_text(self, column: str, max_length: int) -> str | None:
        value = self.text(column)
        if not value:
            self.refuse(column, _("fill in this cell."), "catalogue_required")
            return None
        return self.bounded_text(column, max_length)

    def bounded_text(self, column: str, max_length: int) -> str | None:
        value = self.text(column)
        if len(value) > max_length:
            self.refuse(
                column,
                _("at most %(max)s characters; this one has %(length)s.") % {"max": max_length, "length": len(value)},
                "catalogue_too_long",
            )
            return None
        return value

    def choice(self, column: str, known: dict[str, object]) -> object | None:
        value = self.text(column)
        if value.lower() in known:
            return known[value.lower()]
        options = sorted({str(v) for v in known.values()})
        self.refuse(
            column,
            _("“%(value)s” is not one of: %(options)s.") % {"value": value, "options": ", ".join(options)},
            "catalogue_invalid_choice",
        )
        return None

    def whole(self, column: str, *, low: int, high: int) -> int | None:
        value = cell_int(self.raw(column))
        if value is None:
            self.refuse(
                column, _("“%(value)s” is not a whole number.") % {"value": self.text(column)}, "catalogue_not_whole"
            )
        elif not low <= value <= high:
            self.refuse(
                column,
                _("%(value)s is outside %(low)s to %(high)s.") % {"value": value, "low": low, "high": high},
                "catalogue_out_of_range",
            )
        else:
            return value
        return None

    def decimal(self, column: str, *, places: int, whole_digits: int) -> Decimal | None:
        try:
            value = cell_decimal(self.raw(column))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.refuse(
                column, _("“%(value)s” is not a number.") % {"value": self.text(column)}, "catalogue_not_a_number"
            )
            return None
        if value < 0:
            self.refuse(column, _("%(value)s: cannot be below zero.") % {"value": value}, "catalogue_negative")
            return None
        if value >= Decimal(10) ** whole_digits:
            self.refuse(
                column,
                _("%(value)s is too large; it must be below %(limit)s.")
                % {"value": value, "limit": Decimal(10) ** whole_digits},
                "catalogue_out_of_range",
            )
            return None
        if value != value.quantize(Decimal(1).scaleb(-places)):
            self.refuse(
                column,
                _("%(value)s: at most %(places)s decimals.") % {"value": value, "places": places},
                "catalogue_too_many_decimals",
            )
            return None
        return value.quantize(Decimal(1).scaleb(-places))

    def yes_no(self, column: str) -> bool | None:
        value = self.text(column).lower()
        if value in YES:
            return True
        if value in NO:
            return False
        self.refuse(
            column, _("“%(value)s” is neither yes nor no.") % {"value": self.text(column)}, "catalogue_not_yes_no"
        )
        return None


def _refuse_if(errors: list[SheetError]) -> None:
    if errors:
        errors.sort(key=lambda error: error.row)
        raise CatalogueImportRefused(errors[: sheets.MAX_LISTED_ERRORS])


def _field_max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# Items --------------------------------------------------------------------------------------------------------


def _item_values(row: _Row, categories: dict, rates: dict) -> dict:
    """The row's item fields that the file sets (a column left out, or a blank cell that keeps, sets nothing)."""
    values: dict[str, object] = {}
    values["sku"] = row.required_text("sku", _field_max(Item, "sku"))
    values["name"] = row.required_text("name", _field_max(Item, "name"))
    if row.text("category"):
        values["category"] = row.choice("category", categories)
    else:
        row.refuse("category", _("fill in this cell."), "catalogue_required")
    for column in ("weight_kg", "volume_l"):
        if row.text(column):
            values[column] = row.decimal(column, places=3, whole_digits=4)
        else:
            row.refuse(column, _("fill in this cell."), "catalogue_required")
    for column in ("name_en", "allergens"):
        if row.has(column):
            values[column] = row.bounded_text(column, _field_max(Item, column))
    if row.has("shelf_life_days"):
        blank = not row.text("shelf_life_days")
        values["shelf_life_days"] = None if blank else row.whole("shelf_life_days", low=1, high=MAX_SHELF_LIFE_DAYS)
    # Blank keeps: these have no "empty" value, and clearing a cost by leaving a cell blank is a costly accident.
    if row.text("unit"):
        values["unit"] = row.bounded_text("unit", _field_max(Item, "unit"))
    if row.text("cold_chain"):
        values["cold_chain"] = row.yes_no("cold_chain")
    if row.text("safety_stock"):
        values["safety_stock"] = row.whole("safety_stock", low=0, high=MAX_SAFETY_STOCK)
    if row.text("unit_cost"):
        values["unit_cost"] = row.decimal("unit_cost", places=4, whole_digits=8)
    if row.text("vat_rate"):
        values["vat_rate"] = row.choice("vat_rate", rates)
    return values


def items_import(*, actor, content: bytes, file_name: str, dry_run: bool = False) -> ImportSummary:
    """Create or update every item of a CSV or XLSX file, matched by SKU, all or nothing.

    Raises CatalogueImportRefused listing every error with its row and column; nothing is saved then."""
    sheet = _sheet_read(content=content, file_name=file_name, columns=ITEM_COLUMNS, required=ITEM_REQUIRED)
    categories = _choices(Item.Category.choices)
    rates = _choices(VatRate.choices, numbers=True)
    errors: list[SheetError] = []
    checked: list[tuple[int, dict]] = []
    first_row: dict[str, int] = {}
    for number, values in sheet.rows:
        row = _Row(number, values, sheet.columns, errors)
        before = len(errors)
        fields = _item_values(row, categories, rates)
        sku = fields.get("sku")
        if sku and sku.lower() in first_row:
            row.refuse(
                "sku",
                _("SKU %(sku)s is already on row %(row)s.") % {"sku": sku, "row": first_row[sku.lower()]},
                "catalogue_duplicate_sku",
            )
        elif sku:
            first_row[sku.lower()] = number
        if len(errors) == before:
            checked.append((number, fields))
        if len(errors) >= sheets.MAX_LISTED_ERRORS:
            break
    _refuse_if(errors)
    summary = ImportSummary(rows=len(sheet.rows), dry_run=dry_run)
    try:
        with transaction.atomic():
            _items_save(actor=actor, rows=checked, file_name=file_name, summary=summary)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        raise CatalogueImportRefused(
            [
                SheetError(
                    0,
                    "",
                    _("An item of this file was added while it was being imported; import it again to see which."),
                    code="catalogue_changed_meanwhile",
                )
            ]
        ) from exc
    return summary


def _items_save(*, actor, rows: list[tuple[int, dict]], file_name: str, summary: ImportSummary) -> None:
    known = {item.sku: item for item in Item.objects.select_for_update().filter(sku__in=[f["sku"] for _n, f in rows])}
    reason = (_("Imported from %(file)s") % {"file": file_name})[:100]
    for _number, fields in rows:
        item = known.get(fields["sku"])
        if item is None:
            item = Item(**fields)
            summary.created += 1
        elif all(getattr(item, name) == value for name, value in fields.items()):
            summary.unchanged += 1
            continue
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            summary.updated += 1
        # Unit costs are kept in the item's history: the import says who changed them and from which file.
        item._change_reason = reason
        item._history_user = actor
        item.save()


def items_export(*, file_format: str) -> tuple[bytes, str, str]:
    """The whole item catalogue as (content, content type, file name), in the columns the import reads."""
    rows = [
        [
            item.sku,
            item.name,
            item.name_en,
            item.category,
            item.unit,
            item.weight_kg,
            item.volume_l,
            item.shelf_life_days,
            item.allergens,
            _yes_no(item.cold_chain),
            item.safety_stock,
            item.unit_cost,
            item.vat_rate,
        ]
        for item in Item.objects.order_by("sku")
    ]
    return _export(file_format=file_format, title="items", headers=ITEM_COLUMNS, rows=rows)


# Packs --------------------------------------------------------------------------------------------------------


@dataclass
class _PackRows:
    first_row: int
    fields: dict
    components: dict[str, tuple[int, int]] = field(default_factory=dict)  # SKU → (row, quantity)


def _pack_code(row: _Row) -> str | None:
    code = row.required_text("pack_code", _field_max(Pack, "code"))
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            row.refuse(
                "pack_code",
                _("“%(value)s”: a code holds only letters, digits, hyphens and underscores.") % {"value": code},
                "catalogue_invalid_code",
            )
            return None
    return code


def _pack_fields(row: _Row, sizes: dict, programmes: dict) -> dict:
    fields: dict[str, object] = {}
    if row.text("pack_name"):
        fields["name"] = row.bounded_text("pack_name", _field_max(Pack, "name"))
    if row.text("pack_name_en"):
        fields["name_en"] = row.bounded_text("pack_name_en", _field_max(Pack, "name_en"))
    if row.text("size"):
        fields["size"] = row.choice("size", sizes)
    if row.text("programme"):
        fields["programme"] = row.choice("programme", programmes)
    return fields


PACK_FIELD_COLUMNS = {"name": "pack_name", "name_en": "pack_name_en", "size": "size", "programme": "programme"}


def packs_import(*, actor, content: bytes, file_name: str, dry_run: bool = False) -> ImportSummary:
    """Create or update every pack of a CSV or XLSX file (one row per component), matched by code, all or nothing.

    A pack's components become exactly those its rows list. Raises CatalogueImportRefused listing every error
    with its row and column; nothing is saved then."""
    sheet = _sheet_read(content=content, file_name=file_name, columns=PACK_COLUMNS, required=PACK_REQUIRED)
    sizes = _choices(Pack.Size.choices)
    programmes = _choices(Programme.choices)
    items = {item.sku: item for item in Item.objects.filter(sku__in=_column_texts(sheet, "item_sku"))}
    errors: list[SheetError] = []
    packs: dict[str, _PackRows] = {}
    for number, values in sheet.rows:
        row = _Row(number, values, sheet.columns, errors)
        code = _pack_code(row)
        fields = _pack_fields(row, sizes, programmes)
        sku = row.required_text("item_sku", _field_max(Item, "sku"))
        if sku and sku not in items:
            row.refuse("item_sku", _("no item has SKU “%(sku)s”.") % {"sku": sku}, "catalogue_unknown_item")
        quantity = None
        if row.text("quantity"):
            quantity = row.whole("quantity", low=1, high=MAX_UNITS_PER_PACK_COMPONENT)
        else:
            row.refuse("quantity", _("fill in this cell."), "catalogue_required")
        if not code:
            continue
        pack = packs.get(code)
        if pack is None:
            if "name" not in fields and not row.text("pack_name"):
                row.refuse("pack_name", _("fill in this cell on the pack's first row."), "catalogue_required")
            pack = packs[code] = _PackRows(first_row=number, fields=fields)
        else:
            for name, value in fields.items():
                if value is not None and pack.fields.get(name) not in (None, value):
                    row.refuse(
                        PACK_FIELD_COLUMNS[name],
                        _("pack %(code)s says “%(first)s” on row %(row)s; leave this cell blank or write the same.")
                        % {"code": code, "first": pack.fields[name], "row": pack.first_row},
                        "catalogue_pack_disagrees",
                    )
                elif value is not None:
                    pack.fields[name] = value
        if sku:
            if sku in pack.components:
                row.refuse(
                    "item_sku",
                    _("%(sku)s is already in pack %(code)s on row %(row)s.")
                    % {"sku": sku, "code": code, "row": pack.components[sku][0]},
                    "catalogue_duplicate_component",
                )
            elif quantity is not None:
                pack.components[sku] = (number, quantity)
        if len(errors) >= sheets.MAX_LISTED_ERRORS:
            break
    _refuse_if(errors)
    summary = ImportSummary(rows=len(sheet.rows), dry_run=dry_run)
    try:
        with transaction.atomic():
            _packs_save(packs=packs, items=items, summary=summary)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        raise CatalogueImportRefused(
            [
                SheetError(
                    0,
                    "",
                    _("A pack of this file was added while it was being imported; import it again to see which."),
                    code="catalogue_changed_meanwhile",
                )
            ]
        ) from exc
    return summary


def _column_texts(sheet: _Sheet, column: str) -> set[str]:
    index = sheet.columns[column]
    return {cell_text(values[index]) for _number, values in sheet.rows if index < len(values)}


def _packs_save(*, packs: dict[str, _PackRows], items: dict[str, Item], summary: ImportSummary) -> None:
    known = {pack.code: pack for pack in Pack.objects.select_for_update().filter(code__in=list(packs))}
    existing = {
        (component.pack_id, component.item_id): component.quantity
        for component in PackComponent.objects.filter(pack__in=list(known.values()))
    }
    for code, rows in packs.items():
        wanted = {items[sku].pk: quantity for sku, (_row, quantity) in rows.components.items()}
        pack = known.get(code)
        if pack is None:
            pack = Pack.objects.create(code=code, **rows.fields)
            summary.created += 1
        else:
            had = {item_id: quantity for (pack_id, item_id), quantity in existing.items() if pack_id == pack.pk}
            same_fields = all(getattr(pack, name) == value for name, value in rows.fields.items())
            if same_fields and had == wanted:
                summary.unchanged += 1
                continue
            if not same_fields:
                for name, value in rows.fields.items():
                    setattr(pack, name, value)
                pack.save()
            summary.updated += 1
            PackComponent.objects.filter(pack=pack).exclude(item_id__in=list(wanted)).delete()
        for item_id, quantity in wanted.items():
            PackComponent.objects.update_or_create(pack=pack, item_id=item_id, defaults={"quantity": quantity})


def packs_export(*, file_format: str) -> tuple[bytes, str, str]:
    """Every pack, one row per component, as (content, content type, file name), in the columns the import reads.
    A pack without components gets one row with the item cells blank, so that it is not lost from the list."""
    rows = []
    for pack in Pack.objects.prefetch_related("components__item").order_by("code"):
        head = [pack.code, pack.name, pack.name_en, pack.size, pack.programme]
        components = sorted(pack.components.all(), key=lambda component: component.item.sku)
        if not components:
            rows.append([*head, "", None])
        for component in components:
            rows.append([*head, component.item.sku, component.quantity])
    return _export(file_format=file_format, title="packs", headers=PACK_COLUMNS, rows=rows)


# Writing ------------------------------------------------------------------------------------------------------


def _comma(cell):
    return str(cell).replace(".", ",") if isinstance(cell, Decimal) else cell


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _export(*, file_format: str, title: str, headers: tuple, rows: list[list]) -> tuple[bytes, str, str]:
    if file_format not in CONTENT_TYPES:
        message = _("The catalogue exports as %(formats)s.") % {"formats": ", ".join(CONTENT_TYPES)}
        raise ValidationError({"file_format": ValidationError(message, code="bad_format")})
    if file_format == "csv":
        # Semicolons and decimal commas: what a Spanish Excel opens as numbers; the import reads both back.
        content = sheets.csv_text([headers, *[[_comma(cell) for cell in row] for row in rows]], delimiter=";")
        content = content.encode("utf-8-sig")
    else:
        content = sheets.xlsx_content(title=title, headers=headers, rows=rows)
    name = f"{title}-{timezone.localdate().isoformat()}.{file_format}"
    return content, CONTENT_TYPES[file_format], name
