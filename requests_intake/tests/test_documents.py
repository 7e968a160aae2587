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
    ("kind", "raw", "code"),
    [
        ("dni", "12345678A", "dni_bad_letter"),
        ("dni", "12345678", "dni_malformed"),
        ("nie", "X1234567A", "nie_bad_letter"),
        ("nie", "A1234567L", "nie_malformed"),
        ("rut", "12.345.678-9", "rut_bad_check_digit"),
        ("dni", "", "document_number_missing"),
        ("none", "12345678Z", "number_without_document"),
    ],
)
def test_invalid_documents_are_refused_with_what_is_wrong(kind, raw, code):
    with pytest.raises(ValidationError) as refused:
        document_normalise(kind, raw)

    assert refused.value.code == code


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
    with pytest.raises(ValidationError) as refused:
        phone_normalise("12345")

    assert refused.value.code == "phone_invalid"
