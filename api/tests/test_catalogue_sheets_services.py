"""The catalogue import and export (inventory.catalogue_sheets): items, and packs with their components, all or
nothing, every error with its row and column."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import UserFactory
from inventory.catalogue_sheets import (
    CatalogueImportRefused,
    items_export,
    items_import,
    packs_export,
    packs_import,
)
from inventory.models import Item, Pack, PackComponent
from inventory.tests.factories import ItemFactory, pack_with

pytestmark = pytest.mark.django_db

ITEMS_HEADER = (
    "sku;name;name_en;category;unit;weight_kg;volume_l;shelf_life_days;allergens;cold_chain;unit_cost;vat_rate"
)


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def refusal(call) -> list[tuple[int, str, str]]:
    with pytest.raises(CatalogueImportRefused) as refused:
        call()
    return [(error.row, error.column, error.code) for error in refused.value.errors]


def test_items_are_created_and_updated_by_sku_with_spanish_decimals_and_labels():
    actor = UserFactory()
    rice = ItemFactory(sku="RICE", name="Arroz", unit_cost=Decimal("1.0000"), safety_stock=7)
    summary = items_import(
        actor=actor,
        file_name="items.csv",
        content=csv(
            ITEMS_HEADER,
            "RICE;Arroz redondo;Round rice;food;kg;1,000;1,2;365;;no;1,25;10",
            "NAPPY;Pañales;Nappies;Baby;paquete;0,8;3;;;;;21 %",
        ),
    )

    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (2, 1, 1, 0)
    rice.refresh_from_db()
    assert (rice.name, rice.name_en, rice.unit_cost, rice.volume_l) == (
        "Arroz redondo",
        "Round rice",
        Decimal("1.2500"),
        Decimal("1.200"),
    )
    assert rice.safety_stock == 7  # no such column in the file: kept
    assert rice.history.first().history_user == actor  # the cost change is on the item's record, with who
    nappy = Item.objects.get(sku="NAPPY")
    assert (nappy.category, nappy.unit, nappy.vat_rate, nappy.shelf_life_days) == ("baby", "paquete", 21, None)


def test_one_bad_cell_refuses_the_whole_file_naming_every_row_and_column():
    ItemFactory(sku="RICE", name="Arroz")
    content = csv(
        ITEMS_HEADER,
        "NEW;Nuevo;;food;;1;1;;;;;",
        "RICE;;;sweets;;-1;1,2345;0;;maybe;abc;7",
        "new;Otra vez;;food;;1;1;;;;;",
    )

    errors = refusal(lambda: items_import(actor=None, file_name="items.csv", content=content))

    assert errors == [
        (3, "name", "catalogue_required"),
        (3, "category", "catalogue_invalid_choice"),
        (3, "weight_kg", "catalogue_negative"),
        (3, "volume_l", "catalogue_too_many_decimals"),
        (3, "shelf_life_days", "catalogue_out_of_range"),
        (3, "cold_chain", "catalogue_not_yes_no"),
        (3, "unit_cost", "catalogue_not_a_number"),
        (3, "vat_rate", "catalogue_invalid_choice"),
        (4, "sku", "catalogue_duplicate_sku"),
    ]
    assert not Item.objects.filter(sku="NEW").exists()
    assert Item.objects.get(sku="RICE").name == "Arroz"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("sku;name;category;weight_kg", "catalogue_missing_column"),
        ("sku;name;category;weight_kg;volume_l;colour", "sheet_unknown_column"),
        ("sku;name;category;weight_kg;volume_l;name", "catalogue_duplicate_column"),
    ],
)
def test_a_wrong_header_is_refused_at_row_one(header, code):
    errors = refusal(lambda: items_import(actor=None, file_name="x.csv", content=csv(header, "A;B;food;1;1")))

    assert [(row, error_code) for row, _column, error_code in errors] == [(1, code)]


def test_a_column_marked_with_hash_is_left_out_and_an_empty_file_is_refused():
    summary = items_import(
        actor=None, file_name="x.csv", content=csv("sku;name;category;weight_kg;volume_l;#notes", "A;B;food;1;1;x")
    )
    assert summary.created == 1

    assert refusal(lambda: items_import(actor=None, file_name="x.csv", content=csv(ITEMS_HEADER))) == [
        (2, "", "catalogue_empty")
    ]


def test_a_dry_run_checks_everything_and_saves_nothing():
    summary = items_import(
        actor=None, file_name="x.csv", content=csv("sku;name;category;weight_kg;volume_l", "A;B;food;1;1"), dry_run=True
    )

    assert (summary.created, summary.dry_run) == (1, True)
    assert not Item.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exported_items_import_back_unchanged(file_format):
    ItemFactory(sku="OIL", name="=Aceite", name_en="Oil", unit_cost=Decimal("2.3125"), cold_chain=True, vat_rate=4)
    ItemFactory(sku="MILK", name="Leche", shelf_life_days=90, allergens="lactosa")

    content, content_type, name = items_export(file_format=file_format)
    summary = items_import(actor=None, file_name=name, content=content)

    assert name.endswith(f".{file_format}")
    assert content_type.startswith("text/csv" if file_format == "csv" else "application/vnd.openxml")
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (2, 0, 0, 2)
    assert Item.objects.get(sku="OIL").name == "=Aceite"  # written defused, read back as typed


def test_an_xlsx_with_numbers_as_numbers_imports():
    book = openpyxl.Workbook()
    book.active.append(["SKU", "Name", "Category", "Weight_kg", "Volume_l", "Unit_cost"])
    book.active.append(["TUNA", "Atún", "food", 0.25, 1, 0.3125])
    buffer = io.BytesIO()
    book.save(buffer)

    items_import(actor=None, file_name="c.xlsx", content=buffer.getvalue())

    tuna = Item.objects.get(sku="TUNA")
    assert (tuna.weight_kg, tuna.unit_cost) == (Decimal("0.250"), Decimal("0.3125"))


def test_an_unknown_export_format_is_refused_with_a_code():
    with pytest.raises(ValidationError) as refused:
        items_export(file_format="pdf")
    assert refused.value.error_dict["file_format"][0].code == "bad_format"


# Packs ------------------------------------------------------------------------------------------------------

PACKS_HEADER = "pack_code;pack_name;pack_name_en;size;programme;item_sku;quantity"


def test_packs_are_created_and_their_components_become_those_of_the_file():
    rice, oil, _milk = ItemFactory(sku="RICE"), ItemFactory(sku="OIL"), ItemFactory(sku="MILK")
    family = pack_with({rice: 1, oil: 1}, code="family", name="Familiar")

    summary = packs_import(
        actor=None,
        file_name="packs.csv",
        content=csv(
            PACKS_HEADER,
            "family;Familiar;Family;large;food;RICE;4",
            "family;;;;;MILK;6",
            "baby;Bebé;;Baby;baby;MILK;2",
        ),
    )

    assert (summary.created, summary.updated) == (1, 1)
    family.refresh_from_db()
    assert (family.name_en, family.size) == ("Family", "large")
    assert {(c.item.sku, c.quantity) for c in family.components.all()} == {("RICE", 4), ("MILK", 6)}
    baby = Pack.objects.get(code="baby")
    assert (baby.size, baby.programme) == ("baby", "baby")
    assert [(c.item.sku, c.quantity) for c in baby.components.all()] == [("MILK", 2)]


def test_bad_pack_rows_refuse_the_file_with_row_and_column():
    rice = ItemFactory(sku="RICE")
    pack_with({rice: 1}, code="family", name="Familiar")
    content = csv(
        PACKS_HEADER,
        "family;Familiar;;large;food;RICE;2",
        "family;Otro nombre;;;;GHOST;0",
        "family;;;;;RICE;1",
        "bad code;X;;tiny;;RICE;1",
        "new;;;;;RICE;1",
    )

    errors = refusal(lambda: packs_import(actor=None, file_name="p.csv", content=content))

    assert errors == [
        (3, "item_sku", "catalogue_unknown_item"),
        (3, "quantity", "catalogue_out_of_range"),
        (3, "pack_name", "catalogue_pack_disagrees"),
        (4, "item_sku", "catalogue_duplicate_component"),
        (5, "pack_code", "catalogue_invalid_code"),
        (5, "size", "catalogue_invalid_choice"),
        (6, "pack_name", "catalogue_required"),
    ]
    assert PackComponent.objects.get().quantity == 1
    assert Pack.objects.count() == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exported_packs_import_back_unchanged(file_format):
    rice, oil = ItemFactory(sku="RICE"), ItemFactory(sku="OIL")
    pack_with({rice: 2, oil: 1}, code="family", name="Familiar", size="large")
    pack_with({oil: 3}, code="small", name="Pequeño")

    content, _type, name = packs_export(file_format=file_format)
    summary = packs_import(actor=None, file_name=name, content=content)

    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (3, 0, 0, 2)
