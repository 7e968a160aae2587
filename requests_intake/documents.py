"""Identity documents and phone numbers, checked and put in one canonical form."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from requests_intake.models import DocumentType

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _dni_letter(digits: str) -> str:
    return DNI_LETTERS[int(digits) % 23]


def _check_dni(number: str) -> str:
    if not re.fullmatch(r"\d{8}[A-Z]", number):
        raise ValidationError(
            _("A DNI has 8 digits and a letter, e.g. 12345678Z; got “%(value)s”."),
            params={"value": number},
            code="dni_malformed",
        )
    if _dni_letter(number[:8]) != number[8]:
        raise ValidationError(
            _("The DNI letter of “%(value)s” is wrong: check the number with the person."),
            params={"value": number},
            code="dni_bad_letter",
        )
    return number


def _check_nie(number: str) -> str:
    if not re.fullmatch(r"[XYZ]\d{7}[A-Z]", number):
        raise ValidationError(
            _("An NIE is X, Y or Z, 7 digits and a letter, e.g. X1234567L; got “%(value)s”."),
            params={"value": number},
            code="nie_malformed",
        )
    if _dni_letter(NIE_PREFIX[number[0]] + number[1:8]) != number[8]:
        raise ValidationError(
            _("The NIE letter of “%(value)s” is wrong: check the number with the person."),
            params={"value": number},
            code="nie_bad_letter",
        )
    return number


def _check_rut(number: str) -> str:
    if not re.fullmatch(r"\d{7,8}[0-9K]", number):
        raise ValidationError(
            _("A RUT is 7 or 8 digits and a check digit, e.g. 12.345.678-5; got “%(value)s”."),
            params={"value": number},
            code="rut_malformed",
        )
    body, check = number[:-1], number[-1]
    total = sum(int(digit) * factor for digit, factor in zip(reversed(body), [2, 3, 4, 5, 6, 7] * 2, strict=False))
    expected = {10: "K", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    if expected != check:
        raise ValidationError(
            _("The RUT check digit of “%(value)s” is wrong: check the number with the person."),
            params={"value": number},
            code="rut_bad_check_digit",
        )
    return f"{body}-{check}"


def _check_passport(number: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
        raise ValidationError(
            _("A passport number is 5 to 20 letters and digits; got “%(value)s”."),
            params={"value": number},
            code="passport_malformed",
        )
    return number


_CHECKS = {
    DocumentType.DNI: _check_dni,
    DocumentType.NIE: _check_nie,
    DocumentType.RUT: _check_rut,
    DocumentType.PASSPORT: _check_passport,
}


def document_normalise(document_type: str, number: str) -> str:
    """Return the document number in canonical form, or raise ValidationError saying what is wrong."""
    compact = _compact(number)
    if document_type == DocumentType.NONE:
        if compact:
            raise ValidationError(
                _("A person without a document has no document number; choose the document type."),
                code="number_without_document",
            )
        return ""
    if not compact:
        raise ValidationError(_("Enter the document number, or choose “No document”."), code="document_number_missing")
    return _CHECKS[DocumentType(document_type)](compact)


def phone_normalise(raw: str, region: str = "ES") -> str:
    """Return the phone in E.164 form (+34…), or raise ValidationError when it cannot be a real number."""
    if not (raw or "").strip():
        return ""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), params={"value": raw}, code="phone_unparsable"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), params={"value": raw}, code="phone_invalid"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
