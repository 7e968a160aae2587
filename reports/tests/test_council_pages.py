"""The council's report from the figures page: the manager's one-click download, a bad month, other roles."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_manager_downloads_the_month_as_xlsx_in_one_click(client, role_users, march):
    client.force_login(role_users["manager"])

    response = client.get(reverse("council_report_export", args=["xlsx"]), {"month": "2030-03"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2030-03.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][2:5] == [2, 4, 3]


def test_a_bad_month_in_the_link_goes_back_to_the_figures_page(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("council_report_export", args=["pdf"]), {"month": "2030-14"})

    assert (response.status_code, response["Location"]) == (302, reverse("figures"))


def test_a_driver_cannot_download_the_council_report(client, role_users):
    client.force_login(role_users["driver"])

    assert client.get(reverse("council_report_export", args=["csv"]), {"month": "2030-03"}).status_code == 403
