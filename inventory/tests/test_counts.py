"""Stock counts: start, edit, post as adjustments; count sheets exported and imported all or nothing; the pages."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inventory.counts import count_differences, count_lines_update, count_post, count_start
from inventory.ledger import balance_differences, lot_receive, stock_adjust, stock_write_off
from inventory.models import StockCount, StockCountLine, StockMovement
from inventory.resources import CountImportRefused, count_sheet_export, count_sheet_import, sheet_read
from inventory.tests.factories import ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

HEADER = "warehouse,sku,item,lot_code,expiry_date,expected,counted,reason"


@pytest.fixture
def shelf(role_users):
    """Central warehouse: rice lot R1 (10 units), oil lot O1 (5), an empty rice lot R0; a north warehouse lot N1."""
    actor = role_users["supplier_coordinator"]
    central = WarehouseFactory()
    north = WarehouseFactory(code="north", name="Almacén norte")
    rice = ItemFactory(sku="RICE")
    oil = ItemFactory(sku="OIL")
    in_a_year = timezone.localdate() + dt.timedelta(days=365)
    lots = {
        "R1": lot_receive(actor=actor, item=rice, warehouse=central, lot_code="R1", quantity=10, expiry_date=in_a_year),
        "O1": lot_receive(actor=actor, item=oil, warehouse=central, lot_code="O1", quantity=5, expiry_date=None),
        "R0": lot_receive(actor=actor, item=rice, warehouse=central, lot_code="R0", quantity=2, expiry_date=None),
        "N1": lot_receive(actor=actor, item=rice, warehouse=north, lot_code="N1", quantity=7, expiry_date=None),
    }
    stock_write_off(actor=actor, lot=lots["R0"], quantity=2)
    return {"actor": actor, "central": central, "north": north, "rice": rice, "oil": oil, **lots}


def start(shelf, **kwargs) -> StockCount:
    return count_start(actor=shelf["actor"], warehouse=shelf["central"], counted_on=timezone.localdate(), **kwargs)


def line_of(count: StockCount, lot) -> StockCountLine:
    return count.lines.get(lot=lot)


def balance(lot) -> int:
    lot.balance.refresh_from_db()
    return lot.balance.quantity


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


# --- pages ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supplier_coordinator", 200),
        ("manager", 200),
        ("logistics_planner", 403),
        ("driver", 403),
        ("intake_operator", 403),
    ],
)
def test_the_counts_pages_are_for_roles_that_see_counts(client, role_users, shelf, role, status):
    count = start(shelf)
    client.force_login(role_users[role])

    assert client.get(reverse("stock_counts")).status_code == status
    assert client.get(reverse("stock_count_detail", args=[count.pk])).status_code == status
    assert client.get(reverse("stock_count_export", args=[count.pk, "csv"])).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, shelf):
    response = client.get(reverse("stock_counts"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_starts_a_count_from_the_page(client, role_users, shelf):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(
        reverse("stock_counts"), {"warehouse": shelf["central"].pk, "counted_on": timezone.localdate().isoformat()}
    )

    count = StockCount.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("stock_count_detail", args=[count.pk])
    assert count.lines.count() == 2


def test_a_manager_sees_counts_but_cannot_start_or_post_one(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["manager"])

    page = client.get(reverse("stock_counts"))
    started = client.post(
        reverse("stock_counts"), {"warehouse": shelf["central"].pk, "counted_on": timezone.localdate().isoformat()}
    )
    posted = client.post(reverse("stock_count_detail", args=[count.pk]), {"action": "post"})

    assert "Start a count" not in page.content.decode()
    assert (started.status_code, posted.status_code) == (403, 403)
    assert StockCount.objects.get().status == StockCount.Status.DRAFT


def formset_data(count: StockCount, counted: dict[str, int]) -> dict:
    lines = list(count.lines.select_related("lot").order_by("lot__item__sku", "lot__lot_code"))
    data = {"lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": len(lines)}
    for index, line in enumerate(lines):
        data[f"lines-{index}-id"] = line.pk
        data[f"lines-{index}-counted"] = counted.get(line.lot.lot_code, line.counted)
        data[f"lines-{index}-reason"] = line.reason
    return data


def test_the_page_saves_counts_shows_the_adjustments_to_confirm_then_posts(client, role_users, shelf):
    count = start(shelf)
    url = reverse("stock_count_detail", args=[count.pk])
    client.force_login(role_users["supplier_coordinator"])

    reviewed = client.post(url, {**formset_data(count, {"R1": 6}), "action": "review"})
    confirm = client.get(reviewed.url)
    posted = client.post(url, {"action": "post"}, follow=True)

    assert reviewed.url == f"{url}?confirm=1"
    assert "Posting makes 1 adjustment, against what the ledger holds now" in confirm.content.decode()
    assert "Post the count (1 adjustment)" in confirm.content.decode()
    assert "Count posted: 1 adjustment made." in posted.content.decode()
    assert balance(shelf["R1"]) == 6
    assert balance_differences() == []


def test_a_negative_count_on_the_page_is_shown_as_an_error_and_not_saved(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(
        reverse("stock_count_detail", args=[count.pk]), {**formset_data(count, {"R1": -4}), "action": "save"}
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert line_of(count, shelf["R1"]).counted == 10


def test_posting_twice_from_the_page_says_it_was_already_posted(client, role_users, shelf):
    count = start(shelf)
    url = reverse("stock_count_detail", args=[count.pk])
    client.force_login(role_users["supplier_coordinator"])
    client.post(url, {"action": "post"})

    response = client.post(url, {"action": "post"}, follow=True)

    assert f"Count {count.pk} was already posted" in response.content.decode()


def test_uploading_a_bad_sheet_on_the_page_lists_the_errors(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["supplier_coordinator"])
    sheet = SimpleUploadedFile("count.csv", f"{HEADER}\ncentral,RICE,,R1,,10,abc,\n".encode(), "text/csv")

    response = client.post(reverse("stock_count_detail", args=[count.pk]), {"action": "import", "sheet": sheet})

    page = response.content.decode()
    assert "The sheet has 1 error; nothing was imported." in page
    assert "“abc” is not a whole number of units." in page
    assert line_of(count, shelf["R1"]).counted == 10


def test_uploading_a_good_sheet_on_the_page_imports_it(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["supplier_coordinator"])
    sheet = SimpleUploadedFile("count.csv", f"{HEADER}\ncentral,RICE,,R1,,10,3,\n".encode(), "text/csv")

    response = client.post(
        reverse("stock_count_detail", args=[count.pk]), {"action": "import", "sheet": sheet}, follow=True
    )

    assert "Sheet imported: 1 rows read, 0 lots added to the count." in response.content.decode()
    assert line_of(count, shelf["R1"]).counted == 3


def test_the_page_refuses_a_file_that_is_not_a_sheet(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["supplier_coordinator"])
    sheet = SimpleUploadedFile("count.pdf", b"%PDF-1.4", "application/pdf")

    response = client.post(reverse("stock_count_detail", args=[count.pk]), {"action": "import", "sheet": sheet})

    assert "Upload a .csv or .xlsx file" in response.content.decode()


def test_an_unknown_export_format_is_not_found(client, role_users, shelf):
    count = start(shelf)
    client.force_login(role_users["supplier_coordinator"])

    assert client.get(reverse("stock_count_export", args=[count.pk, "pdf"])).status_code == 404


def test_the_nav_links_to_counts_for_those_who_see_them(client, role_users):
    client.force_login(role_users["manager"])
    manager_page = client.get(reverse("home")).content.decode()
    client.force_login(role_users["logistics_planner"])
    planner_page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("stock_counts")}"' in manager_page
    assert f'href="{reverse("stock_counts")}"' not in planner_page
