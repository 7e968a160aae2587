"""Households from a spreadsheet, as a social-services office exports it: read, checked row by row, saved all or
nothing.

Offices send CSV saved by a Spanish Excel (semicolons, Windows-1252, CRLF, dd/mm/yyyy, decimal commas) or XLSX.
Headers are matched through a table of Spanish and English names, ignoring case, accents and stray spaces. Every
row is checked with intake's rules (documents, phones, zones) before anything is saved; each error names the row
as the spreadsheet numbers it (the header is row 1) and the column as the file names it.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import day_text
from core.sheets import (
    Sheet,
    SheetError,
    SheetLimits,
    SheetRefused,
    cell_blank,
    cell_date,
    cell_decimal,
    cell_int,
    cell_text,
    header_ignored,
    header_unknown,
    sheet_read,
)
from core.text import fold
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import DocumentType, Household, NationalityGroup, Sex, Zone
from requests_intake.zoning import point_in_polygon
from routing.geocoding import address_locate

MAX_FILE_BYTES = 20 * 1024 * 1024
# A town's whole register fits many times over; a file past these is refused where it crosses them.
SHEET_LIMITS = SheetLimits(max_bytes=MAX_FILE_BYTES, max_rows=200_001, max_columns=100, max_cells=4_000_000)
HEADER_ROW = 1
MAX_MEMBERS = 50
SAVE_BATCH = 2000
NOTES_LENGTH = Household._meta.get_field("access_notes").max_length

# Header words, folded (see _header_key), for each field an import can fill, separated by |.
ALIAS_TABLE = {
    "given_name": "nombre|nombres|nombre pila|name|given name|first name|forename",
    "family_name": "apellidos|apellido|primer apellido y segundo|surname|surnames|family name|last name",
    "document_type": "tipo documento|tipo doc|tipo|tipo identificacion|document type|id type",
    "document_number": "documento|numero documento|n documento|no documento|num documento|dni|dni nie|nif|nie|"
    "dni nie pasaporte|identificacion|document|document number|id number",
    "phone": "telefono|tel|tlf|tfno|movil|telefono contacto|phone|telephone|mobile",
    "email": "email|e mail|correo|correo electronico|mail",
    "address": "direccion|domicilio|direccion postal|address|street address",
    "postcode": "codigo postal|cod postal|cp|c p|postcode|postal code|zip|zip code",
    "municipality": "municipio|localidad|poblacion|ciudad|municipality|town|city",
    "birth_date": "fecha nacimiento|f nacimiento|fecha nac|nacimiento|birth date|date birth|birthdate|dob",
    "sex": "sexo|genero|sex|gender",
    "nationality": "nacionalidad|pais origen|pais nacionalidad|nationality|country",
    "members": "miembros|n miembros|no miembros|num miembros|numero miembros|personas|n personas|no personas|"
    "miembros unidad familiar|members|household size|people",
    "zone": "zona|zone|zona trabajo social",
    "access_notes": "observaciones|notas|comentarios|obs|notes|access notes|comments",
    "latitude": "latitud|lat|latitude",
    "longitude": "longitud|lon|lng|long|longitude",
}
ALIASES: dict[str, list[str]] = {name: words.split("|") for name, words in ALIAS_TABLE.items()}

# The headers this app writes when it exports households; an exported file imports back in either language.
COLUMN_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "document_type": gettext_lazy("Document type"),
    "document_number": gettext_lazy("Document"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "address": gettext_lazy("Address"),
    "postcode": gettext_lazy("Postcode"),
    "municipality": gettext_lazy("Municipality"),
    "birth_date": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "nationality": gettext_lazy("Nationality"),
    "members": gettext_lazy("Members"),
    "zone": gettext_lazy("Zone"),
    "access_notes": gettext_lazy("Notes"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
}
REQUIRED_COLUMNS = ("given_name", "family_name", "address", "municipality")
# Words that tell nothing apart in a header: "Fecha de nacimiento" is "fecha nacimiento".
_HEADER_FILLERS = {"de", "del", "la", "el", "of", "the"}

# Document types as offices write them, folded; the choice labels in both languages are added at run time.
DOCUMENT_WORDS: dict[str, str] = {
    "dni": DocumentType.DNI,
    "nif": DocumentType.DNI,
    "nie": DocumentType.NIE,
    "tie": DocumentType.NIE,
    "pasaporte": DocumentType.PASSPORT,
    "passport": DocumentType.PASSPORT,
    "pas": DocumentType.PASSPORT,
    "rut": DocumentType.RUT,
    "ninguno": DocumentType.NONE,
    "ninguna": DocumentType.NONE,
    "sin documento": DocumentType.NONE,
    "sin documentacion": DocumentType.NONE,
    "no tiene": DocumentType.NONE,
    "no": DocumentType.NONE,
    "none": DocumentType.NONE,
    "no document": DocumentType.NONE,
}
# Sex as offices write it, folded. A lone "M" is refused: mujer in a Spanish sheet, male in an English one.
SEX_WORDS: dict[str, str] = {
    "mujer": Sex.FEMALE,
    "femenino": Sex.FEMALE,
    "f": Sex.FEMALE,
    "hombre": Sex.MALE,
    "varon": Sex.MALE,
    "masculino": Sex.MALE,
    "h": Sex.MALE,
    "v": Sex.MALE,
    "woman": Sex.FEMALE,
    "man": Sex.MALE,
    "otro": Sex.OTHER,
    "otra": Sex.OTHER,
    "x": Sex.OTHER,
}
# The countries most often written in the town's sheets (folded, name and adjective) and their group; the group
# names themselves and the choice labels are added at run time.
NATIONALITY_WORDS: dict[str, str] = {
    **dict.fromkeys(("espana", "espanola", "espanol", "es", "spain", "spanish"), NationalityGroup.SPANISH),
    **dict.fromkeys(
        ("rumania", "rumana", "rumano", "bulgaria", "bulgara", "bulgaro", "italia", "italiana", "italiano",
         "portugal", "portuguesa", "portugues", "francia", "francesa", "frances", "alemania", "alemana", "aleman"),
        NationalityGroup.EUROPEAN_UNION,
    ),
    **dict.fromkeys(
        ("ucrania", "ucraniana", "ucraniano", "rusia", "rusa", "ruso", "reino unido", "britanica", "britanico",
         "georgia", "georgiana", "georgiano", "moldavia", "moldava", "moldavo"),
        NationalityGroup.REST_OF_EUROPE,
    ),
    **dict.fromkeys(
        ("marruecos", "marroqui", "argelia", "argelina", "argelino", "senegal", "senegalesa", "senegales",
         "nigeria", "nigeriana", "nigeriano", "mali", "maliense", "ghana", "ghanesa", "ghanes"),
        NationalityGroup.AFRICA,
    ),
    **dict.fromkeys(
        ("ecuador", "ecuatoriana", "ecuatoriano", "colombia", "colombiana", "colombiano", "bolivia", "boliviana",
         "boliviano", "venezuela", "venezolana", "venezolano", "peru", "peruana", "peruano", "honduras",
         "hondurena", "hondureno", "paraguay", "paraguaya", "paraguayo", "argentina", "argentino", "cuba",
         "cubana", "cubano", "chile", "chilena", "chileno"),
        NationalityGroup.LATIN_AMERICA,
    ),
    **dict.fromkeys(
        ("china", "chino", "pakistan", "pakistani", "india", "indio", "filipinas", "filipina", "filipino"),
        NationalityGroup.ASIA,
    ),
    **dict.fromkeys(("apatrida", "stateless"), NationalityGroup.STATELESS),
}  # fmt: skip
_LOOKS_LIKE_DNI = re.compile(r"\d{8}[A-Z]?")
_LOOKS_LIKE_NIE = re.compile(r"[XYZ]\d{7}[A-Z]?")
_SIX_PLACES = Decimal("0.000001")


# The names this module's callers know; the classes are shared with the stock count sheets.
RowError = SheetError
HouseholdImportRefused = SheetRefused


@dataclass(frozen=True)
class CheckedRow:
    row: int
    fields: dict  # keyword arguments for Household, already normalised


@dataclass(frozen=True)
class ImportResult:
    rows: list[CheckedRow]
    dry_run: bool
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    unplaced: int = 0  # households without a map point

    @property
    def count(self) -> int:
        return len(self.rows)


# Reading ------------------------------------------------------------------------------------------------------


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _refuse_file(message: str, code: str) -> HouseholdImportRefused:
    return HouseholdImportRefused([RowError(0, "", message, code=code)])


def household_sheet_read(*, content: bytes, file_name: str) -> Sheet:
    """The header and the non-blank rows of a CSV or XLSX file, or a refusal saying why it cannot be read."""
    sheet = sheet_read(content=content, file_name=file_name, limits=SHEET_LIMITS)
    return Sheet(headers=[cell_text(value) for value in sheet.headers], rows=sheet.rows)


# Cells --------------------------------------------------------------------------------------------------------


def _header_key(header: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold(cell_text(header))).split()
    return " ".join(word for word in words if word not in _HEADER_FILLERS)


def _field_label(name: str) -> str:
    return str(Household._meta.get_field(name).verbose_name)


def _aliases() -> dict[str, str]:
    """Folded header → field: the table above, and this app's own export headers in every language."""
    aliases = {_header_key(alias): name for name, words in ALIASES.items() for alias in words}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for name, label in COLUMN_LABELS.items():
                aliases.setdefault(_header_key(str(label)), name)
    return aliases


def _headers_known() -> dict[str, str]:
    """Folded header → how to write it, for suggesting the closest column: this app's headers in the reader's
    language first, then every other header the import reads."""
    known = {_header_key(str(label)): str(label) for label in COLUMN_LABELS.values()}
    for words in ALIASES.values():
        for alias in words:
            known.setdefault(_header_key(alias), alias.capitalize())
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for label in COLUMN_LABELS.values():
                known.setdefault(_header_key(str(label)), str(label))
    return known


def _document_words() -> dict[str, str]:
    words = {fold(code): code for code in DocumentType.values}
    words.update(DOCUMENT_WORDS)
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for value, label in DocumentType.choices:
                words.setdefault(fold(str(label)), value)
    return words


def _choice_words(choices: type, words: dict[str, str]) -> dict[str, str]:
    """The folded codes and labels of `choices` in every language, and the usual `words`, to their code."""
    known = {fold(code): code for code in choices.values}
    known.update(words)
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                known.setdefault(fold(str(label)), value)
    return known


def _zone_tables() -> tuple[dict[str, Zone], list[Zone]]:
    """Zones by folded name, code and slug; and the zones in the order intake's `zone_for` tries them. Read once
    for the file rather than once a row."""
    zones = list(Zone.objects.all())
    by_key: dict[str, Zone] = {}
    for zone in zones:
        for key in (fold(cell_text(zone.name)), fold(zone.code), slugify(zone.name)):
            by_key.setdefault(key, zone)
    return by_key, zones


def _zone_for(zones: list[Zone], *, postcode: str, latitude: Decimal | None, longitude: Decimal | None) -> Zone | None:
    """`zoning.zone_for` on zones already read: inside a drawn boundary first, else by postcode."""
    if latitude is not None and longitude is not None:
        for zone in zones:
            if len(zone.polygon) >= 3 and point_in_polygon(float(latitude), float(longitude), zone.polygon):
                return zone
    for zone in zones:
        if postcode and postcode in zone.postcode_list:
            return zone
    return None


def _offline_point(*, address: str, postcode: str, municipality: str) -> tuple[Decimal | None, Decimal | None]:
    """The address's point from the street table (and answers kept from earlier lookups), as intake finds it.

    The online geocoder is left out: it answers about once a second, and a file holds thousands of rows."""
    if settings.GEOCODER:
        return None, None
    point = address_locate(address=address, postcode=postcode, municipality=municipality)
    if point is None:
        return None, None
    return Decimal(f"{point.latitude:.6f}"), Decimal(f"{point.longitude:.6f}")


def _notes(text: str) -> str:
    # Cut at a character, never inside one, and show that the note went on.
    return text if len(text) <= NOTES_LENGTH else text[: NOTES_LENGTH - 1].rstrip() + "…"


# Checking -----------------------------------------------------------------------------------------------------


class HouseholdSheetChecker:
    """Checks rows of one file against intake's rules and against each other, remembering what it has seen.

    `check` takes one row; `registered` then checks a batch of checked rows against the households already
    saved, with one query per few hundred rows."""

    def __init__(self, headers: Sequence):
        self.headers = [cell_text(header) for header in headers]
        self.columns: dict[str, int] = {}
        self.ignored_columns: list[str] = []
        self.header_errors: list[RowError] = []
        aliases = _aliases()
        for index, header in enumerate(self.headers):
            if header_ignored(header):
                self.ignored_columns.append(header)
                continue
            name = aliases.get(_header_key(header))
            if name is None:
                # A misspelt optional column would otherwise drop its data without a word.
                if header:
                    self.header_errors.append(
                        header_unknown(column=index + 1, header=header, key=_header_key(header), known=_headers_known())
                    )
            elif name in self.columns:
                self.header_errors.append(
                    RowError(
                        HEADER_ROW,
                        header,
                        _("column “%(first)s” already holds the %(what)s; keep one of the two.")
                        % {"first": self.headers[self.columns[name]], "what": _field_label(name)},
                        name,
                        code="column_repeated",
                    )
                )
            else:
                self.columns[name] = index
        for name in REQUIRED_COLUMNS:
            if name not in self.columns:
                self.header_errors.append(
                    RowError(
                        HEADER_ROW,
                        "",
                        _("the file has no column for the %(what)s (for example “%(example)s”).")
                        % {"what": _field_label(name), "example": ALIASES[name][0].capitalize()},
                        name,
                        code="column_missing",
                    )
                )
        self._zones, self._zone_list = _zone_tables()
        self._document_words = _document_words()
        self._sex_words = _choice_words(Sex, SEX_WORDS)
        self._nationality_words = _choice_words(NationalityGroup, NATIONALITY_WORDS)
        self._documents: dict[tuple[str, str], int] = {}  # (type, number) → the row that had it first
        self._phones: dict[str, int] = {}
        self._unasked: list[tuple[str, str]] = []  # documents not yet looked for among registered households

    def error_order(self, error: RowError) -> tuple[int, int]:
        """Errors by row, and within a row in the order of the file's columns."""
        return error.row, self.columns.get(error.field, len(self.headers))

    def column(self, name: str) -> str:
        """The header the file gives the field's column, or the field's label when the file has no such column."""
        index = self.columns.get(name)
        return self.headers[index] if index is not None else _field_label(name)

    def check(self, row: int, values: Sequence) -> tuple[CheckedRow | None, list[RowError]]:
        """The row's household fields, normalised, or every error the row has."""
        errors: list[RowError] = []

        def refuse(name: str, message: str, code: str) -> None:
            errors.append(RowError(row, self.column(name), message, name, code=code))

        def cell(name: str):
            index = self.columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        extra = [value for value in values[len(self.headers) :] if not cell_blank(value)]
        if extra:
            errors.append(
                RowError(
                    row,
                    "",
                    _("the row has more cells than the header has columns; check the separators."),
                    code="row_too_many_cells",
                )
            )

        fields: dict = {}
        for name in ("given_name", "family_name", "address", "postcode", "municipality", "email"):
            raw = cell(name)
            text = cell_text(raw)
            if name == "postcode" and isinstance(raw, int | float) and len(text) == 4:
                text = text.zfill(5)  # the spreadsheet read 08001 as a number and dropped the zero
            limit = Household._meta.get_field(name).max_length
            if not text and name in REQUIRED_COLUMNS:
                refuse(name, _("fill in the %(what)s.") % {"what": _field_label(name)}, "cell_missing")
            elif len(text) > limit:
                refuse(
                    name,
                    _("at most %(limit)s characters; this has %(length)s.") % {"limit": limit, "length": len(text)},
                    "cell_too_long",
                )
            fields[name] = text
        if fields["email"]:
            try:
                validate_email(fields["email"])
            except ValidationError:
                refuse(
                    "email", _("“%(value)s” is not an e-mail address.") % {"value": fields["email"]}, "email_invalid"
                )

        self._check_document(cell("document_type"), cell("document_number"), fields, refuse)

        try:
            fields["phone"] = phone_normalise(cell_text(cell("phone")))
        except ValidationError as exc:
            refuse("phone", " ".join(exc.messages), exc.error_list[0].code)
            fields["phone"] = ""

        raw = cell("birth_date")
        fields["birth_date"] = None
        if not cell_blank(raw):
            try:
                born = cell_date(raw)
            except (ValueError, TypeError):
                refuse(
                    "birth_date",
                    _("“%(value)s” is not a date: write it as day/month/year, e.g. 14/09/1947.")
                    % {"value": cell_text(raw)},
                    "birth_date_not_a_date",
                )
            else:
                if born > timezone.localdate() or born.year < 1900:
                    refuse(
                        "birth_date",
                        _("%(date)s cannot be a birth date.") % {"date": day_text(born)},
                        "birth_date_impossible",
                    )
                fields["birth_date"] = born

        fields["sex"] = self._choice(cell("sex"), "sex", self._sex_words, refuse)
        fields["nationality"] = self._choice(cell("nationality"), "nationality", self._nationality_words, refuse)

        raw = cell("members")
        members = 1 if cell_blank(raw) else cell_int(raw)
        if members is None or not 1 <= members <= MAX_MEMBERS:
            refuse(
                "members",
                _("“%(value)s” is not a number of people from 1 to %(max)s (the holder counts).")
                % {"value": cell_text(raw), "max": MAX_MEMBERS},
                "members_out_of_range",
            )
        fields["members"] = members or 1

        fields["zone"] = self._zone(cell("zone"), refuse)
        fields["access_notes"] = _notes(cell_text(cell("access_notes")))
        fields["latitude"], fields["longitude"] = self._point(cell("latitude"), cell("longitude"), refuse)

        self._check_repeats(row, fields, errors)
        if errors:
            return None, errors
        # As intake does: the point from the address unless given, then the zone from the point or the postcode.
        if fields["latitude"] is None:
            fields["latitude"], fields["longitude"] = _offline_point(
                address=fields["address"], postcode=fields["postcode"], municipality=fields["municipality"]
            )
        if fields["zone"] is None:
            fields["zone"] = _zone_for(
                self._zone_list,
                postcode=fields["postcode"],
                latitude=fields["latitude"],
                longitude=fields["longitude"],
            )
        return CheckedRow(row=row, fields=fields), []

    def _choice(self, raw, name: str, words: dict[str, str], refuse) -> str:
        """An optional choice (sex, nationality group) from the words offices write; blank when left empty."""
        word = fold(cell_text(raw)).strip(" .")
        if not word:
            return ""
        if word in words:
            return words[word]
        if name == "sex":
            message = _("“%(value)s” is not a sex we can read: write Mujer, Hombre or Otro, or leave it empty.")
        else:
            message = _(
                "“%(value)s” is not a nationality we can read: write the country (Marruecos, Ecuador…), one of "
                "the groups (Española, Unión Europea, África…) or leave it empty."
            )
        refuse(name, message % {"value": cell_text(raw)}, f"{name}_unknown")
        return ""

    def _check_document(self, raw_type, raw_number, fields: dict, refuse) -> None:
        number = cell_text(raw_number)
        compact = re.sub(r"[\s.\-]", "", number).upper()
        word = fold(cell_text(raw_type))
        if word:
            document_type = self._document_words.get(word)
            if document_type is None:
                refuse(
                    "document_type",
                    _("“%(value)s” is not a document type: write DNI, NIE, Pasaporte, RUT or Ninguno.")
                    % {"value": cell_text(raw_type)},
                    "document_type_unknown",
                )
                fields["document_type"], fields["document_number"] = DocumentType.NONE, ""
                return
        elif not compact:
            document_type = DocumentType.NONE
        elif _LOOKS_LIKE_DNI.fullmatch(compact):
            document_type = DocumentType.DNI
        elif _LOOKS_LIKE_NIE.fullmatch(compact):
            document_type = DocumentType.NIE
        else:
            name = "document_type" if "document_type" in self.columns else "document_number"
            refuse(
                name,
                _("say which document “%(value)s” is: DNI, NIE, Pasaporte or RUT.") % {"value": number},
                "document_type_unclear",
            )
            fields["document_type"], fields["document_number"] = DocumentType.NONE, ""
            return
        fields["document_type"] = document_type
        try:
            fields["document_number"] = document_normalise(document_type, number)
        except ValidationError as exc:
            refuse("document_number", " ".join(exc.messages), exc.error_list[0].code)
            fields["document_number"] = ""

    def _zone(self, raw, refuse) -> Zone | None:
        text = cell_text(raw)
        if not text:
            return None
        zone = self._zones.get(fold(text)) or self._zones.get(slugify(text))
        if zone is None:
            names = sorted({zone.name for zone in self._zones.values()})
            refuse(
                "zone",
                _("no zone is called “%(value)s”; the zones are: %(zones)s.")
                % {"value": text, "zones": ", ".join(names) or "—"},
                "zone_unknown",
            )
        return zone

    def _point(self, raw_latitude, raw_longitude, refuse) -> tuple[Decimal | None, Decimal | None]:
        if cell_blank(raw_latitude) and cell_blank(raw_longitude):
            return None, None
        point = []
        for name, raw, limit in (("latitude", raw_latitude, 90), ("longitude", raw_longitude, 180)):
            if cell_blank(raw):
                refuse(name, _("give both latitude and longitude, or neither."), "point_incomplete")
                return None, None
            try:
                value = cell_decimal(raw).quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
            except InvalidOperation:
                refuse(
                    name, _("“%(value)s” is not a number of degrees.") % {"value": cell_text(raw)}, "point_not_a_number"
                )
                return None, None
            if not value.is_finite() or abs(value) > limit:
                refuse(
                    name,
                    _("%(value)s is outside −%(limit)s to %(limit)s.") % {"value": value, "limit": limit},
                    "point_out_of_range",
                )
                return None, None
            point.append(value)
        return point[0], point[1]

    def _check_repeats(self, row: int, fields: dict, errors: list[RowError]) -> None:
        document = (fields["document_type"], fields["document_number"])
        if fields["document_number"]:
            first = self._documents.setdefault(document, row)
            if first == row:
                self._unasked.append(document)
            else:
                errors.append(
                    RowError(
                        row,
                        self.column("document_number"),
                        _("document %(number)s is also on row %(row)s; each household appears once.")
                        % {"number": fields["document_number"], "row": first},
                        "document_number",
                        code="document_repeated",
                    )
                )
        if fields["phone"]:
            first = self._phones.setdefault(fields["phone"], row)
            if first != row:
                errors.append(
                    RowError(
                        row,
                        self.column("phone"),
                        _("phone %(phone)s is also on row %(row)s; each household appears once.")
                        % {"phone": fields["phone"], "row": first},
                        "phone",
                        code="phone_repeated",
                    )
                )

    def registered(self) -> list[RowError]:
        """Errors for the rows checked since the last call whose document belongs to a registered household,
        wrong rows included: one query per few hundred documents rather than one a row."""
        unasked, self._unasked = self._unasked, []
        numbers = sorted({number for _type, number in unasked})
        errors = []
        for chunk in _chunks(numbers, 500):
            found = Household.objects.filter(document_number__in=chunk, merged_into__isnull=True).only(
                "pk", "document_type", "document_number", "given_name", "family_name"
            )
            for household in found.order_by("pk"):
                row = self._documents.get((household.document_type, household.document_number))
                if row is not None:
                    errors.append(
                        RowError(
                            row,
                            self.column("document_number"),
                            _("%(number)s is already registered as %(name)s (household %(id)s).")
                            % {"number": household.document_number, "name": household.full_name, "id": household.pk},
                            "document_number",
                            code="document_registered",
                        )
                    )
        return errors


# Saving -------------------------------------------------------------------------------------------------------


def _history_copy(*, pks: list[int], actor, reason: str) -> None:
    """The "+" history row of each household just inserted, as simple-history's `bulk_history_create` writes it,
    but copied by the database: building a hundred thousand history rows in Python doubled the import's time."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Household.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(quote(field.column) for field in history.tracked_fields)
    extra = ", ".join(
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    )
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for chunk in _chunks(pks, SAVE_BATCH):
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({copied}, {extra}) "
                f"SELECT {copied}, %s, %s, '+', %s FROM {quote(Household._meta.db_table)} "
                f"WHERE {quote(Household._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [when, reason, getattr(actor, "pk", None), *chunk],
            )


def _households_save(*, actor, rows: list[CheckedRow], file_name: str) -> None:
    households = []
    for row in rows:
        household = Household(**row.fields)
        household.search_text = household.search_text_compute()  # save() is skipped by bulk_create
        households.append(household)
    Household.objects.bulk_create(households, batch_size=SAVE_BATCH)
    reason = (_("Imported from %(file)s") % {"file": Path(file_name).name})[:100]
    _history_copy(pks=[household.pk for household in households], actor=actor, reason=reason)


def households_check(*, sheet: Sheet) -> tuple[list[CheckedRow], list[str]]:
    """Every row of the sheet checked; (the households, the columns not read), or a refusal listing every error."""
    checker = HouseholdSheetChecker(sheet.headers)
    if checker.header_errors:
        raise HouseholdImportRefused(checker.header_errors)
    if not sheet.rows:
        raise HouseholdImportRefused(
            [RowError(HEADER_ROW + 1, "", _("the file has no households to import."), code="no_households")]
        )
    checked: list[CheckedRow] = []
    errors: list[RowError] = []
    for number, values in sheet.rows:
        row, row_errors = checker.check(number, values)
        if row is None:
            errors += row_errors
        else:
            checked.append(row)
    errors += checker.registered()
    if errors:
        raise HouseholdImportRefused(sorted(errors, key=checker.error_order))
    return checked, checker.ignored_columns


def households_import(*, actor, content: bytes, file_name: str, dry_run: bool = False) -> ImportResult:
    """Register every household of a CSV or XLSX file, all or nothing.

    Raises HouseholdImportRefused listing every error with its row and column; nothing is saved then. A dry run
    checks the same and saves nothing."""
    sheet = household_sheet_read(content=content, file_name=file_name)
    rows, ignored = households_check(sheet=sheet)
    unplaced = sum(row.fields["latitude"] is None for row in rows)
    if dry_run:
        return ImportResult(rows=rows, dry_run=True, ignored_columns=ignored, unplaced=unplaced)
    try:
        with transaction.atomic():
            _households_save(actor=actor, rows=rows, file_name=file_name)
    except IntegrityError as exc:
        # Someone registered one of these documents between the check and the insert.
        raise _refuse_file(
            _(
                "A household with one of these documents was registered while the file was being imported; "
                "import it again to see which."
            ),
            "registered_meanwhile",
        ) from exc
    return ImportResult(rows=rows, dry_run=False, ignored_columns=ignored, created=len(rows), unplaced=unplaced)
