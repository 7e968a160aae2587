"""A household's name written in any script reaches the social worker's e-mail and the zone's exports unchanged."""

import email
import email.policy
import io

import openpyxl
import pytest
from django.urls import reverse

from delivery.concerns import concern_raise
from delivery.services import FAILURES_BEFORE_SOCIAL_WORKER, stop_mark_failed
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db

# Latin Extended, Greek, Cyrillic, Arabic and Chinese in one household.
GIVEN_NAME = "مريم Αλέξανδρος"
FAMILY_NAME = "Бойко Ștefănescu Łódź 王秀英"
FULL_NAME = f"{GIVEN_NAME} {FAMILY_NAME}"


def _sent(mailoutbox) -> email.message.EmailMessage:
    """The one message sent, as the mail server receives it and a mail client parses it back."""
    [sent] = mailoutbox
    return email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)


@pytest.fixture
def stop_in_marta_zone(role_users):
    stop = planned_stop(role_users)
    household = stop.order.household
    household.given_name, household.family_name = GIVEN_NAME, FAMILY_NAME
    household.zone = ZoneFactory()
    household.save()
    request = stop.order.plan.request
    request.zone = household.zone
    request.save()
    worker = role_users["social_worker"]
    worker.email = "marta@example.org"
    worker.save()
    household.zone.social_workers.add(worker)
    return stop


def test_a_concern_email_carries_the_name_in_every_script_in_its_subject(
    role_users, stop_in_marta_zone, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern_raise(actor=role_users["driver"], stop=stop_in_marta_zone, text="Nadie abre.")

    message = _sent(mailoutbox)
    # Django folds the encoded subject onto a continuation line; the parsed header keeps that fold's space.
    assert str(message["Subject"]).strip() == f"Reparto: a driver is worried about {FULL_NAME}"


def test_a_failed_delivery_email_carries_the_name_in_every_script_in_its_body(
    role_users, stop_in_marta_zone, mailoutbox, django_capture_on_commit_callbacks
):
    order = stop_in_marta_zone.order
    order.failed_attempts = FAILURES_BEFORE_SOCIAL_WORKER - 1
    order.save(update_fields=["failed_attempts"])

    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_failed(actor=role_users["driver"], stop=stop_in_marta_zone, reason="not_home")

    message = _sent(mailoutbox)
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().startswith(f"{FULL_NAME}, {order.household.address}: the last visit on ")


def _zone_with_the_household():
    zone = ZoneFactory(code="norte", name="Zona Norte", postcodes="30201")
    HouseholdFactory(given_name=GIVEN_NAME, family_name=FAMILY_NAME, address="شارع 5, 北京路 3", zone=zone)
    return zone


def test_the_csv_export_keeps_the_name_in_every_script(client, role_users):
    _zone_with_the_household()
    client.force_login(role_users["manager"])

    response = client.get(reverse("households_export"), {"zone": "norte", "format": "csv"})

    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with the byte-order mark, as for Spanish Excel
    row = response.content.decode("utf-8-sig").splitlines()[1].split(";")
    assert row[:2] == [GIVEN_NAME, FAMILY_NAME]
    assert row[6] == "شارع 5, 北京路 3"


def test_the_xlsx_export_keeps_the_name_in_every_script(client, role_users):
    _zone_with_the_household()
    client.force_login(role_users["manager"])

    response = client.get(reverse("households_export"), {"zone": "norte", "format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [cell.value for cell in sheet[2]]
    assert row[:2] == [GIVEN_NAME, FAMILY_NAME]
    assert row[6] == "شارع 5, 北京路 3"
