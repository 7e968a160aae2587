"""Stock counts: start, edit, post as adjustments; count sheets exported and imported all or nothing."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone

from inventory.counts import count_differences, count_lines_update, count_post, count_start
from inventory.ledger import balance_differences, stock_adjust
from inventory.models import StockCount, StockMovement
from inventory.resources import CountImportRefused, count_sheet_export, count_sheet_import, sheet_read
from inventory.tests.counts_world import HEADER, balance, line_of, start
from inventory.tests.factories import WarehouseFactory

pytestmark = pytest.mark.django_db


def lines_state(count: StockCount) -> list[tuple]:
    return list(count.lines.order_by("lot__lot_code").values_list("lot__lot_code", "expected", "counted", "reason"))


def csv_sheet(*rows: str, header: str = HEADER) -> tablib.Dataset:
    return sheet_read(content="\n".join([header, *rows]).encode(), file_format="csv")


# --- starting, editing and posting -------------------------------------------------------------------------------


def test_a_count_has_a_line_per_lot_holding_stock_with_counted_starting_at_expected(shelf):
    count = start(shelf)

    assert count.status == StockCount.Status.DRAFT
    assert lines_state(count) == [("O1", 5, 5, "count"), ("R1", 10, 10, "count")]


def test_a_count_of_chosen_items_takes_all_their_lots_empty_ones_too(shelf):
    count = start(shelf, items=[shelf["rice"]])

    assert lines_state(count) == [("R0", 0, 0, "count"), ("R1", 10, 10, "count")]


def test_a_count_of_a_warehouse_without_stock_is_refused_and_nothing_is_created(shelf):
    empty = WarehouseFactory(code="empty", name="Almacén vacío")

    with pytest.raises(ValidationError) as refused:
        count_start(actor=shelf["actor"], warehouse=empty, counted_on=timezone.localdate())
    assert refused.value.code == "count_nothing_to_count"

    assert StockCount.objects.count() == 0


def test_a_count_dated_in_the_future_is_refused(shelf):
    with pytest.raises(ValidationError) as refused:
        count_start(
            actor=shelf["actor"], warehouse=shelf["central"], counted_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert refused.value.code == "count_date_in_future"

    assert StockCount.objects.count() == 0


def test_posting_makes_exactly_one_adjustment_per_difference_and_the_ledger_balances(shelf):
    count = start(shelf)
    rice_line, oil_line = line_of(count, shelf["R1"]), line_of(count, shelf["O1"])
    count_lines_update(
        actor=shelf["actor"], count=count, changes={rice_line.pk: (8, "damaged"), oil_line.pk: (5, "count")}
    )
    before = StockMovement.objects.count()

    posted = count_post(actor=shelf["actor"], count=count)

    assert [(m.lot_id, m.kind, m.quantity, m.reason) for m in posted] == [
        (shelf["R1"].pk, StockMovement.Kind.ADJUSTMENT, -2, "damaged")
    ]
    assert posted[0].note == f"Stock count {count.pk}"
    assert StockMovement.objects.count() == before + 1
    assert (balance(shelf["R1"]), balance(shelf["O1"])) == (8, 5)
    assert balance_differences() == []
    count.refresh_from_db()
    assert count.status == StockCount.Status.POSTED
    assert count.posted_at is not None


def test_found_goods_are_posted_as_a_positive_adjustment(shelf):
    count = start(shelf, items=[shelf["rice"]])
    empty_line = line_of(count, shelf["R0"])
    count_lines_update(actor=shelf["actor"], count=count, changes={empty_line.pk: (3, "found")})

    posted = count_post(actor=shelf["actor"], count=count)

    assert [(m.lot_id, m.quantity, m.reason) for m in posted] == [(shelf["R0"].pk, 3, "found")]
    assert balance(shelf["R0"]) == 3


def test_posting_compares_the_count_with_the_balance_now_not_the_snapshot(shelf):
    count = start(shelf)
    rice_line = line_of(count, shelf["R1"])
    count_lines_update(actor=shelf["actor"], count=count, changes={rice_line.pk: (8, "count")})
    # Three units leave the shelf after the snapshot but before the shelf was counted at 8.
    stock_adjust(actor=shelf["actor"], lot=shelf["R1"], quantity=-3, reason="correction")

    assert [(d.line.pk, d.on_hand, d.difference) for d in count_differences(count)] == [(rice_line.pk, 7, 1)]
    posted = count_post(actor=shelf["actor"], count=count)

    assert [(m.lot_id, m.quantity) for m in posted] == [(shelf["R1"].pk, 1)]
    assert balance(shelf["R1"]) == 8
    assert line_of(count, shelf["R1"]).expected == 7
    assert balance_differences() == []


def test_a_count_that_matches_the_shelf_posts_no_movement(shelf):
    count = start(shelf)
    before = StockMovement.objects.count()

    assert count_post(actor=shelf["actor"], count=count) == []

    assert StockMovement.objects.count() == before
    assert StockCount.objects.get(pk=count.pk).status == StockCount.Status.POSTED


def test_posting_a_count_twice_is_refused_and_changes_nothing(shelf):
    count = start(shelf)
    count_lines_update(actor=shelf["actor"], count=count, changes={line_of(count, shelf["R1"]).pk: (9, "count")})
    count_post(actor=shelf["actor"], count=count)
    before = StockMovement.objects.count()

    with pytest.raises(ValidationError) as refused:
        count_post(actor=shelf["actor"], count=count)
    assert refused.value.code == "count_already_posted"

    assert StockMovement.objects.count() == before
    assert balance(shelf["R1"]) == 9


def test_a_posted_count_cannot_be_edited(shelf):
    count = start(shelf)
    count_post(actor=shelf["actor"], count=count)

    with pytest.raises(ValidationError) as refused:
        count_lines_update(actor=shelf["actor"], count=count, changes={line_of(count, shelf["R1"]).pk: (1, "count")})
    assert refused.value.code == "count_already_posted"

    assert line_of(count, shelf["R1"]).counted == 10


@pytest.mark.parametrize(
    ("counted", "reason", "code"),
    [(-1, "count", "counted_invalid"), (2, "lost", "reason_invalid")],
)
def test_a_bad_line_edit_is_refused_and_no_line_changes(shelf, counted, reason, code):
    count = start(shelf)
    good, bad = line_of(count, shelf["O1"]), line_of(count, shelf["R1"])

    with pytest.raises(ValidationError) as refused:
        count_lines_update(
            actor=shelf["actor"], count=count, changes={good.pk: (1, "count"), bad.pk: (counted, reason)}
        )
    assert refused.value.code == code

    assert lines_state(count) == [("O1", 5, 5, "count"), ("R1", 10, 10, "count")]


def test_lines_of_another_count_cannot_be_edited_through_this_one(shelf):
    count = start(shelf)
    other = start(shelf)

    with pytest.raises(ValidationError) as refused:
        count_lines_update(actor=shelf["actor"], count=count, changes={line_of(other, shelf["R1"]).pk: (1, "count")})
    assert refused.value.code == "count_lines_unknown"

    assert line_of(other, shelf["R1"]).counted == 10


# --- export ---------------------------------------------------------------------------------------------------------


def test_the_csv_sheet_lists_every_lot_of_the_count(shelf):
    count = start(shelf)

    content, content_type, name = count_sheet_export(count=count, file_format="csv")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert content_type == "text/csv"
    assert name == f"count-{count.pk}-central-{timezone.localdate().isoformat()}.csv"
    expiry = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    assert rows == [
        HEADER.split(","),
        ["central", "OIL", shelf["oil"].name, "O1", "", "5", "5", "count"],
        ["central", "RICE", shelf["rice"].name, "R1", expiry, "10", "10", "count"],
    ]


def test_the_xlsx_sheet_lists_every_lot_with_numbers_as_numbers(shelf):
    count = start(shelf)

    content, content_type, name = count_sheet_export(count=count, file_format="xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert name.endswith(".xlsx")
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0] == HEADER.split(",")
    assert [(r[1], r[3], r[5], r[6]) for r in rows[1:]] == [("OIL", "O1", 5, 5), ("RICE", "R1", 10, 10)]


# --- import ---------------------------------------------------------------------------------------------------------


def test_a_filled_sheet_updates_the_lines_and_adds_a_lot_of_the_warehouse(shelf):
    count = start(shelf)
    dataset = csv_sheet(
        "central,RICE,,R1,,10,7,damaged",
        "central,OIL,,O1,,5,5,",
        "central,RICE,,R0,,,1,Found",  # an empty lot of the warehouse, not in the count; reason given by its label
    )

    summary = count_sheet_import(actor=shelf["actor"], count=count, dataset=dataset)

    assert (summary.rows, summary.added) == (3, 1)
    assert lines_state(count) == [("O1", 5, 5, "count"), ("R0", 0, 1, "found"), ("R1", 10, 7, "damaged")]


def test_an_exported_xlsx_sheet_filled_in_imports_back(shelf):
    count = start(shelf)
    content, _type, _name = count_sheet_export(count=count, file_format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    book.active["G3"] = 12  # RICE R1: counted
    book.active["H3"] = "found"
    filled = io.BytesIO()
    book.save(filled)

    count_sheet_import(
        actor=shelf["actor"], count=count, dataset=sheet_read(content=filled.getvalue(), file_format="xlsx")
    )

    assert lines_state(count) == [("O1", 5, 5, "count"), ("R1", 10, 12, "found")]


def test_a_csv_saved_with_semicolons_imports(shelf):
    count = start(shelf)
    dataset = sheet_read(content=b"sku;lot_code;counted\r\nRICE;R1;4\r\n", file_format="csv")

    count_sheet_import(actor=shelf["actor"], count=count, dataset=dataset)

    assert line_of(count, shelf["R1"]).counted == 4


def test_a_sheet_with_bad_rows_reports_each_with_row_and_column_and_changes_nothing(shelf):
    count = start(shelf)
    dataset = csv_sheet(
        "central,RICE,,R1,,10,abc,count",  # row 2: not a number
        "central,OIL,,O1,,5,-3,count",  # row 3: negative
        "central,RICE,,NOPE,,,4,count",  # row 4: a lot the warehouse does not have
        "central,OIL,,O1,,5,4,lost",  # row 5: unknown reason (and O1 a second time)
        "central,RICE,,R0,,,2,found",  # row 6: fine on its own
        "central,RICE,,R1,,10,2.5,",  # row 7: a fraction, and R1 a second time
    )

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=dataset)

    assert [(e.row, e.column) for e in refused.value.errors] == [
        (2, "counted"),
        (3, "counted"),
        (4, "lot_code"),
        (5, "lot_code"),
        (5, "reason"),
        (7, "lot_code"),
        (7, "counted"),
    ]
    assert [e.code for e in refused.value.errors] == [
        "counted_invalid",
        "counted_negative",
        "lot_unknown",
        "lot_listed_twice",
        "reason_invalid",
        "lot_listed_twice",
        "counted_invalid",
    ]
    messages = [str(e) for e in refused.value.errors]
    assert messages[0] == "row 2, column counted: “abc” is not a whole number of units."
    assert messages[1] == "row 3, column counted: -3: a shelf cannot hold fewer than zero units."
    assert (
        messages[2] == "row 4, column lot_code: lot “NOPE” of RICE is neither in this count nor in warehouse central."
    )
    assert messages[3] == "row 5, column lot_code: lot O1 of OIL is already on row 3."
    assert messages[4].startswith("row 5, column reason: “lost” is not a reason; use one of: count, damaged,")
    assert messages[6] == "row 7, column counted: “2.5” is not a whole number of units."
    assert "Nothing was imported." in refused.value.messages
    assert lines_state(count) == [("O1", 5, 5, "count"), ("R1", 10, 10, "count")]


def test_a_count_written_with_a_thousands_point_is_refused_not_read_as_one_unit(shelf):
    # "1.000" is a thousand in a Spanish sheet; the count sheet once read it as 1, the household import refused it.
    count = start(shelf)
    dataset = csv_sheet("central,RICE,,R1,,10,1.000,count")

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=dataset)

    assert [str(e) for e in refused.value.errors] == ["row 2, column counted: “1.000” is not a whole number of units."]
    assert lines_state(count) == [("O1", 5, 5, "count"), ("R1", 10, 10, "count")]


def test_an_unknown_sku_and_blank_cells_are_reported(shelf):
    count = start(shelf)
    dataset = csv_sheet(",,,,,,,", "central,GHOST,,G1,,,1,", "central,RICE,,,,,,")

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=dataset)

    # The blank row 2 is skipped, but later rows keep the numbers the spreadsheet shows.
    assert [str(e) for e in refused.value.errors] == [
        "row 3, column sku: no item has SKU “GHOST”.",
        "row 4, column lot_code: fill in the lot code.",
        "row 4, column counted: fill in the units counted (0 if the shelf is empty).",
    ]
    assert [e.code for e in refused.value.errors] == ["sku_unknown", "lot_code_missing", "counted_missing"]


def test_a_sheet_of_another_warehouse_is_refused(shelf):
    count = start(shelf)

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=csv_sheet("north,RICE,,R1,,,3,"))

    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(2, "warehouse", "sheet_wrong_warehouse")]
    assert line_of(count, shelf["R1"]).counted == 10


def test_a_lot_of_another_warehouse_is_not_added(shelf):
    count = start(shelf)

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=csv_sheet(",RICE,,N1,,,3,"))

    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "lot_code")]
    assert count.lines.count() == 2


def test_a_sheet_without_the_counted_column_is_refused(shelf):
    count = start(shelf)

    with pytest.raises(CountImportRefused) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=csv_sheet("RICE,R1", header="sku,lot_code"))

    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(1, "counted", "sheet_missing_column")]


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(shelf):
    with pytest.raises(CountImportRefused) as refused:
        sheet_read(content=b"not a zip file", file_format="xlsx")

    assert [(e.row, e.code) for e in refused.value.errors] == [(0, "sheet_unreadable")]
    assert str(refused.value.errors[0]) == "The file could not be read as XLSX (File is not a zip file)."


def test_a_sheet_cannot_be_imported_into_a_posted_count(shelf):
    count = start(shelf)
    count_post(actor=shelf["actor"], count=count)

    with pytest.raises(ValidationError) as refused:
        count_sheet_import(actor=shelf["actor"], count=count, dataset=csv_sheet("central,RICE,,R1,,,3,"))
    assert refused.value.code == "count_already_posted"

    assert line_of(count, shelf["R1"]).counted == 10
