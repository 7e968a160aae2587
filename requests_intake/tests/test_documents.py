"""Identity documents and phones are checked at the door and stored in one form."""

import pytest
from django.core.exceptions import ValidationError

from requests_intake.documents import document_normalise, phone_normalise


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("dni", "12345678z", "12345678Z"),
        ("dni", " 00000000-T ", "00000000T"),
        ("nie", "X1234567L", "X1234567L"),
        ("nie", "y-1234567-x", "Y1234567X"),
        ("rut", "12.345.678-5", "12345678-5"),
        ("rut", "7.654.321-6", "7654321-6"),
        ("passport", "pa 123456", "PA123456"),
        ("none", "", ""),
    ],
)
def test_valid_documents_are_stored_in_canonical_form(kind, raw, stored):
    assert document_normalise(kind, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("dni", "12345678A", "The DNI letter of “12345678A” is wrong"),
        ("dni", "12345678", "A DNI has 8 digits and a letter"),
        ("nie", "X1234567A", "The NIE letter of “X1234567A” is wrong"),
        ("nie", "A1234567L", "An NIE is X, Y or Z"),
        ("rut", "12.345.678-9", "The RUT check digit of “123456789” is wrong"),
        ("dni", "", "Enter the document number"),
        ("none", "12345678Z", "A person without a document has no document number"),
    ],
)
def test_invalid_documents_are_refused_with_what_is_wrong(kind, raw, message):
    with pytest.raises(ValidationError) as refused:
        document_normalise(kind, raw)

    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("968 12 34 56", "+34968123456"),
        ("+34 622 334 455", "+34622334455"),
        ("611111111", "+34611111111"),
        ("", ""),
    ],
)
def test_phones_are_stored_in_e164(raw, stored):
    assert phone_normalise(raw) == stored


def test_a_phone_that_cannot_exist_is_refused():
    with pytest.raises(ValidationError, match="not a valid phone number"):
        phone_normalise("12345")
