"""The stock count pages: who may see them, starting, saving and posting a count, and uploading its sheet."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inventory.ledger import balance_differences
from inventory.models import StockCount
from inventory.tests.counts_world import HEADER, balance, line_of, start

pytestmark = pytest.mark.django_db


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
