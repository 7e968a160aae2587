"""Proof of delivery: only real images within the limit are kept."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from delivery.proof import proof_from_data_url, proof_from_upload

from .driver_world import PNG_URL, data_url, image_bytes, noisy_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_real_png_signature_is_decoded_to_its_bytes():
    content = proof_from_data_url(PNG_URL, kind="signature")

    assert content.read() == image_bytes("PNG")
    assert content.name == "signature.png"


@pytest.mark.parametrize(
    "value",
    [
        data_url(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png"),
        data_url(image_bytes("PNG"), "image/svg+xml"),
        "data:image/png;base64",
        "data:image/png;base64,iVBORw0K GgoAAAANSUhEUgAAAAEAAAAB",
        None,
    ],
)
def test_a_signature_that_is_not_a_png_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        proof_from_data_url(value, kind="signature")
    assert refused.value.code == "not_an_image"


def test_a_proof_over_the_limit_is_refused_before_it_is_decoded(settings):
    settings.PROOF_MAX_BYTES = 10 * 1024

    with pytest.raises(ValidationError) as refused:
        proof_from_data_url(data_url(noisy_jpeg(), "image/jpeg"), kind="photo")
    assert refused.value.code == "too_big"


def test_an_uploaded_photo_may_be_jpeg_or_png_but_nothing_else(settings):
    assert proof_from_upload(SimpleUploadedFile("door.jpg", image_bytes("JPEG"))).name == "photo.jpg"
    assert proof_from_upload(SimpleUploadedFile("door.png", image_bytes("PNG"))).name == "photo.png"
    with pytest.raises(ValidationError) as refused:
        proof_from_upload(SimpleUploadedFile("door.jpg", b"%PDF-1.7 pretending"))
    assert refused.value.code == "not_an_image"
    settings.PROOF_MAX_BYTES = 10 * 1024
    with pytest.raises(ValidationError) as refused:
        proof_from_upload(SimpleUploadedFile("door.jpg", noisy_jpeg()))
    assert refused.value.code == "too_big"
