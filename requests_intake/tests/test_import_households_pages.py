"""Importing households from the files offices really send: all or nothing, every error with its row and column.

Here through the HTTP client (pages, API, admin); the services are tested in test_import_households_services.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.factories import UserFactory
from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.import_households import SAMPLE, SAMPLE_ERRORS, sample_cleaned

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def upload(client, content: bytes, name: str = "hogares.csv"):
    return client.post(reverse("households_import"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("role", "expected"),
    [("intake_operator", 200), ("social_worker", 403), ("driver", 403), ("manager", 403)],
)
def test_the_import_page_is_for_those_who_register_households(client, role_users, role, expected):
    client.force_login(role_users[role])

    assert client.get(reverse("households_import")).status_code == expected


def test_a_driver_cannot_upload_a_file(client, role_users, zones, uploads):
    client.force_login(role_users["driver"])

    assert upload(client, sample_cleaned()).status_code == 403
    assert Household.objects.count() == 0


def test_uploading_the_sample_shows_the_error_table_and_saves_nothing(client, role_users, zones, uploads):
    client.force_login(role_users["intake_operator"])

    response = upload(client, SAMPLE.read_bytes())

    assert response.status_code == 200
    assert [(str(e.row), e.column, e.message) for e in response.context["errors"]] == SAMPLE_ERRORS
    page = response.content.decode()
    assert "hogares.csv has 4 errors; nothing was imported." in page
    assert 'name="token"' not in page
    assert Household.objects.count() == 0
    assert not uploads.exists() or not any(uploads.iterdir())


def test_a_clean_file_is_previewed_then_imported_on_confirmation(client, role_users, zones, uploads):
    client.force_login(role_users["intake_operator"])

    preview = upload(client, sample_cleaned())

    assert preview.status_code == 200
    assert "hogares.csv: 6 households would be imported" in preview.content.decode()
    assert Household.objects.count() == 0
    confirmed = client.post(reverse("households_import"), {"token": preview.context["token"]}, follow=True)
    assert "6 households imported from hogares.csv." in confirmed.content.decode()
    assert Household.objects.count() == 6
    assert list(uploads.iterdir()) == []  # the kept file is gone once imported


def test_a_confirmation_cannot_be_replayed(client, role_users, zones, uploads):
    client.force_login(role_users["intake_operator"])
    token = upload(client, sample_cleaned()).context["token"]
    client.post(reverse("households_import"), {"token": token})

    again = client.post(reverse("households_import"), {"token": token}, follow=True)

    assert "The uploaded file is no longer here; upload it again." in again.content.decode()
    assert Household.objects.count() == 6


def test_a_token_forged_or_from_another_user_is_refused(client, role_users, zones, uploads):
    client.force_login(role_users["intake_operator"])
    token = upload(client, sample_cleaned()).context["token"]
    colleague = UserFactory(username="colleague")
    colleague.groups.set(role_users["intake_operator"].groups.all())
    client.force_login(colleague)

    assert client.post(reverse("households_import"), {"token": token}).status_code == 403
    assert client.post(reverse("households_import"), {"token": token[:-2] + "xx"}).status_code == 403
    assert Household.objects.count() == 0


def test_a_document_registered_after_the_preview_is_refused_at_confirmation(client, role_users, zones, uploads):
    client.force_login(role_users["intake_operator"])
    token = upload(client, sample_cleaned()).context["token"]
    HouseholdFactory(document_type="nie", document_number="Y1234567X")

    response = client.post(reverse("households_import"), {"token": token})

    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "Documento")]
    assert Household.objects.count() == 1


def test_the_admin_offers_import_and_export_of_households(admin_client):
    assert admin_client.get(reverse("admin:requests_intake_household_import")).status_code == 200
    assert admin_client.get(reverse("admin:requests_intake_household_export")).status_code == 200


def test_the_admin_import_page_previews_errors_without_a_confirm_button(admin_client, zones):
    response = admin_client.post(
        reverse("admin:requests_intake_household_import"),
        {"import_file": SimpleUploadedFile("hogares.csv", SAMPLE.read_bytes()), "format": "0"},
    )

    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    assert Household.objects.count() == 0


def test_the_admin_import_page_previews_then_imports_on_confirmation(admin_client, zones):
    preview = admin_client.post(
        reverse("admin:requests_intake_household_import"),
        {"import_file": SimpleUploadedFile("hogares.csv", sample_cleaned()), "format": "0"},
    )
    assert Household.objects.count() == 0

    admin_client.post(
        reverse("admin:requests_intake_household_process_import"), preview.context["confirm_form"].initial
    )

    assert Household.objects.count() == 6


def test_posting_without_a_file_asks_for_one(client, role_users, uploads):
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("households_import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}
    assert response.context["result"] is None
