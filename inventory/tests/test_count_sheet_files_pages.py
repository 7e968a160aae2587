"""The count page given a sheet built to hurt: refused with its row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.tests.count_sheet_world import HOSTILE, counted, xfd_sheet

pytestmark = pytest.mark.django_db


def test_the_count_page_refuses_the_xfd1048576_sheet_with_its_row_and_column(client, role_users, count):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(
        reverse("stock_count_detail", args=[count.pk]),
        {"action": "import", "sheet": SimpleUploadedFile("count.xlsx", xfd_sheet())},
    )

    assert response.status_code == 200
    assert [(e.row, e.column, e.code) for e in response.context["import_errors"]] == [
        (1048576, "XFD", "sheet_too_many_rows")
    ]
    assert counted(count) == dict.fromkeys(HOSTILE, 3)
