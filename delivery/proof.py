"""Proof of delivery: the signature drawn on the driver's phone and the photo taken at the door.

Files arrive as data URLs (from the phone's queue) or as an upload (the plain form). Only real PNG or JPEG files
within settings.PROOF_MAX_BYTES are kept, under MEDIA_ROOT, and they are read back only through a view that
checks who is asking."""

import base64
import binascii

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from delivery.models import Stop

SIGNATURE = "signature"
PHOTO = "photo"
KINDS = (SIGNATURE, PHOTO)

PNG = "image/png"
JPEG = "image/jpeg"
# A file is what its first bytes say it is, whatever its name or the data URL's label claim.
MAGIC = {PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}
EXTENSIONS = {PNG: "png", JPEG: "jpg"}
# The signature pad gives a PNG and the page re-encodes photos as JPEG.
EXPECTED = {SIGNATURE: PNG, PHOTO: JPEG}


def _label(kind: str) -> str:
    return _("signature") if kind == SIGNATURE else _("photo")


def _too_big(kind: str) -> ValidationError:
    return ValidationError(
        _("The %(what)s is larger than %(limit)s KB; nothing was saved. Take it again.")
        % {"what": _label(kind), "limit": settings.PROOF_MAX_BYTES // 1024},
        code="too_big",
    )


def _not_an_image(kind: str, content_type: str) -> ValidationError:
    return ValidationError(
        _("The %(what)s is not a %(format)s image; nothing was saved.")
        % {"what": _label(kind), "format": EXTENSIONS[content_type].upper()},
        code="not_an_image",
    )


def _sniff(data: bytes) -> str | None:
    return next((content_type for content_type, magic in MAGIC.items() if data.startswith(magic)), None)


def proof_from_data_url(data_url: str, *, kind: str) -> ContentFile:
    """Decode a `data:image/...;base64,` URL into a file, refusing anything but the expected image type."""
    content_type = EXPECTED[kind]
    if not isinstance(data_url, str):
        raise _not_an_image(kind, content_type)
    header, comma, encoded = data_url.partition(",")
    if not comma or header.lower() != f"data:{content_type};base64":
        raise _not_an_image(kind, content_type)
    # Refuse before decoding: base64 carries 3 bytes in every 4 characters.
    if len(encoded) * 3 // 4 > settings.PROOF_MAX_BYTES + 2:
        raise _too_big(kind)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _not_an_image(kind, content_type) from None
    if len(data) > settings.PROOF_MAX_BYTES:
        raise _too_big(kind)
    if _sniff(data) != content_type:
        raise _not_an_image(kind, content_type)
    return ContentFile(data, name=f"{kind}.{EXTENSIONS[content_type]}")


def proof_from_upload(upload: UploadedFile) -> ContentFile:
    """A photo sent by the plain form (no JavaScript, so not shrunk): JPEG or PNG within the size limit."""
    if upload.size > settings.PROOF_MAX_BYTES:
        raise _too_big(PHOTO)
    data = upload.read(settings.PROOF_MAX_BYTES + 1)
    content_type = _sniff(data)
    if content_type is None:
        raise _not_an_image(PHOTO, JPEG)
    return ContentFile(data, name=f"{PHOTO}.{EXTENSIONS[content_type]}")


def proof_attach(stop: Stop, *, signature: ContentFile | None = None, photo: ContentFile | None = None) -> list[str]:
    """Write the files into the stop's fields, named after the stop; returns the fields to save."""
    changed = []
    for kind, content in ((SIGNATURE, signature), (PHOTO, photo)):
        if content is None:
            continue
        extension = content.name.rsplit(".", 1)[-1]
        getattr(stop, kind).save(f"stop-{stop.pk}-{kind}.{extension}", content, save=False)
        changed.append(kind)
    return changed


def proof_content_type(stop: Stop, kind: str) -> str:
    """The stored file's type; proof_attach named it after what its bytes were."""
    return PNG if getattr(stop, kind).name.endswith(".png") else JPEG
