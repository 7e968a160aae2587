"""Proof of delivery on the pages: the plain form keeps a photo, and only the right people can look at a proof."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delivery.models import Stop
from delivery.proof import proof_from_data_url
from delivery.services import stop_mark_delivered
from requests_intake.tests.factories import ZoneFactory
from tests.scenarios import planned_stop

from .driver_world import JPEG_URL, PNG_URL, another_driver, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_plain_form_keeps_an_uploaded_photo(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    photo = SimpleUploadedFile("IMG_0001.jpg", image_bytes("JPEG"), content_type="image/jpeg")

    client.post(reverse("stop_delivered", args=[stop.pk]), {"received_by": "Carmen", "photo": photo})

    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.DELIVERED
    assert stop.photo.name.endswith(f"stop-{stop.pk}-photo.jpg")
    assert stop.photo.read() == image_bytes("JPEG")


def test_the_plain_form_refuses_a_file_that_is_not_a_photo_and_records_nothing(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")

    response = client.post(reverse("stop_delivered", args=[stop.pk]), {"photo": fake}, follow=True)

    assert "The photo is not a JPG image; nothing was saved." in response.content.decode()
    stop.refresh_from_db()
    assert (stop.outcome, stop.photo.name) == (Stop.Outcome.PENDING, "")


@pytest.fixture
def signed_stop(role_users):
    stop = planned_stop(role_users)
    signature = proof_from_data_url(PNG_URL, kind="signature")
    photo = proof_from_data_url(JPEG_URL, kind="photo")
    return stop_mark_delivered(actor=role_users["driver"], stop=stop, signature=signature, photo=photo)


@pytest.mark.parametrize("role", ["driver", "logistics_planner", "manager", "social_worker"])
def test_the_proof_is_streamed_to_those_who_may_see_it(client, role_users, signed_stop, role):
    client.force_login(role_users[role])

    response = client.get(reverse("stop_proof", args=[signed_stop.pk, "signature"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_the_photo_is_served_as_jpeg(client, role_users, signed_stop):
    client.force_login(role_users["logistics_planner"])

    response = client.get(reverse("stop_proof", args=[signed_stop.pk, "photo"]))

    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == image_bytes("JPEG")


@pytest.mark.parametrize("role", ["intake_operator", "supplier_coordinator"])
def test_other_roles_never_see_the_proof(client, role_users, signed_stop, role):
    client.force_login(role_users[role])

    assert client.get(reverse("stop_proof", args=[signed_stop.pk, "signature"])).status_code == 403


def test_another_driver_never_sees_the_proof(client, role_users, signed_stop):
    client.force_login(another_driver(role_users))

    assert client.get(reverse("stop_proof", args=[signed_stop.pk, "signature"])).status_code == 403


def test_a_social_worker_of_another_zone_never_sees_the_proof(client, role_users, signed_stop):
    household = signed_stop.order.household
    household.zone = ZoneFactory()
    household.save()
    worker = role_users["social_worker"]
    ZoneFactory().social_workers.add(worker)
    client.force_login(worker)

    assert client.get(reverse("stop_proof", args=[signed_stop.pk, "signature"])).status_code == 403

    household.zone.social_workers.add(worker)
    assert client.get(reverse("stop_proof", args=[signed_stop.pk, "signature"])).status_code == 200


def test_a_missing_proof_or_an_unknown_kind_is_not_found(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("stop_proof", args=[stop.pk, "signature"])).status_code == 404
    assert client.get(reverse("stop_proof", args=[stop.pk, "passport"])).status_code == 404


def test_proof_is_never_served_at_its_storage_url(client, role_users, signed_stop):
    # No URL pattern serves MEDIA_ROOT: the only way in is the view that checks who asks.
    client.force_login(role_users["manager"])

    assert client.get(signed_stop.signature.url).status_code == 404
