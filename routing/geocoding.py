"""Find the point of an address: the local street table first, then the answers kept from an online geocoder, then
the online geocoder itself, only when one is configured. An address whose street nobody knows is not placed."""

import csv
import difflib
import functools
import logging
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from geopy.exc import GeopyError
from geopy.geocoders import get_geocoder_for_service

from core.text import fold
from routing.models import GeocodedAddress
from routing.solver.model import Location

logger = logging.getLogger(__name__)

# Street types and their usual abbreviations, as they read once folded ("Pº" folds to "po").
STREET_TYPES = {
    "calle": ("c", "cl"),
    "avenida": ("av", "avd", "avda"),
    "plaza": ("pl", "pz", "pza", "plza"),
    "paseo": ("po", "pso"),
    "camino": ("cno", "cmno"),
    "carretera": ("ctra",),
    "travesia": ("trav", "trva"),
}
_EXPANSION = {abbreviation: word for word, abbreviations in STREET_TYPES.items() for abbreviation in abbreviations}
# An abbreviation counts only when a dot, a slash or a space follows it: "c/ duque", "avda. del faro", "pza lonja".
_ABBREVIATION = re.compile(rf"^({'|'.join(sorted(_EXPANSION, key=len, reverse=True))})(?:\s*[./]\s*|\s+)")
_WITHOUT_NUMBER = re.compile(r"\bs\s*/\s*n\b")  # "s/n": sin número
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?$")
_NUMBER_MARKERS = {"n", "no", "num", "numero", "nro"}
# Left out when comparing street names, so "C/ Almendro" finds "Calle del Almendro".
_ARTICLES = {"de", "del", "el", "la", "las", "los"}

GEOCODED_QUERY_LENGTH = GeocodedAddress._meta.get_field("query").max_length


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def _street_and_number(address: str) -> tuple[str, str]:
    # What follows the first comma is floor and door ("C/ Duque 21, 2º B"), or the number ("Calle Duque, 21, 2º").
    head, *rest = _folded(address).split(",")
    head = _ABBREVIATION.sub(lambda match: _EXPANSION[match.group(1)] + " ", head)
    head = _WITHOUT_NUMBER.sub(" ", head)
    words = _words(head)
    number = ""
    for position, word in enumerate(words):
        following = words[position + 1] if position + 1 < len(words) else ""
        # "Calle 8 de Marzo 12": a number followed by "de" is part of the name, not the house number.
        if position and _HOUSE_NUMBER.match(word) and following not in {"de", "del"}:
            words, number = words[:position], word
            break
    while words and words[-1] in _NUMBER_MARKERS:
        words.pop()
    if not number and rest:
        after_comma = [word for word in _words(rest[0]) if word not in _NUMBER_MARKERS]
        if after_comma and _HOUSE_NUMBER.match(after_comma[0]):
            number = after_comma[0]
    return " ".join(words), number


def street_of(address: str) -> str:
    """The street of an address, folded, with the street type spelt out: "C/ Duque 21, 2º" → "calle duque"."""
    return _street_and_number(address)[0]


def _street_key(street: str) -> str:
    return " ".join(word for word in street.split() if word not in _ARTICLES)


@functools.cache
def _gazetteer(path: Path) -> dict[tuple[str, str], list[tuple[str, Location]]]:
    """(municipality, street) → [(postcode, point)]. Postcode centroids (rows without a street) are left out:
    a postcode is an area, and placing a household at its middle would be a guess."""
    streets: dict[tuple[str, str], list[tuple[str, Location]]] = {}
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        logger.error("gazetteer %s cannot be read (%s); addresses are placed only by an online geocoder", path, exc)
        return streets
    with handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            street = street_of(row["street"] or "")
            if not street:
                continue
            try:
                point = Location(float(row["latitude"]), float(row["longitude"]))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}, line {line}: latitude and longitude must be numbers") from exc
            key = (_folded(row["municipality"] or ""), _street_key(street))
            streets.setdefault(key, []).append(((row["postcode"] or "").strip(), point))
    return streets


def _gazetteer_locate(street: str, postcode: str, municipality: str) -> Location | None:
    if settings.GEOCODER_GAZETTEER is None:
        return None
    rows = _gazetteer(settings.GEOCODER_GAZETTEER).get((_folded(municipality), _street_key(street)), [])
    same_postcode = [point for code, point in rows if code == postcode.strip()]
    if same_postcode:
        return same_postcode[0]
    # A street name the town has twice, neither in this postcode, is not placed: either would be a guess.
    return rows[0][1] if len(rows) == 1 else None


def _geocoder_locate(query: str) -> Location | None:
    options = {"user_agent": settings.GEOCODER_USER_AGENT, "timeout": settings.GEOCODER_TIMEOUT_S}
    if settings.GEOCODER_DOMAIN:
        # geopy takes the scheme apart from the domain: "http://nominatim.internal:8080" is both.
        scheme, separator, domain = settings.GEOCODER_DOMAIN.rstrip("/").rpartition("://")
        options["domain"] = domain
        if separator:
            options["scheme"] = scheme
    geocoder = get_geocoder_for_service(settings.GEOCODER)(**options)
    try:
        found = geocoder.geocode(query, exactly_one=True)
    except GeopyError as exc:
        # Not kept: a failure is not an answer, so the next household at this address asks again.
        logger.warning("geocoder %s failed (%s); the address is left without coordinates", settings.GEOCODER, exc)
        return None
    latitude = Decimal(f"{found.latitude:.6f}") if found is not None else None
    longitude = Decimal(f"{found.longitude:.6f}") if found is not None else None
    GeocodedAddress.objects.get_or_create(
        query=query, defaults={"latitude": latitude, "longitude": longitude, "provider": settings.GEOCODER}
    )
    return Location(float(latitude), float(longitude)) if found is not None else None


def address_locate(*, address: str, postcode: str, municipality: str) -> Location | None:
    """Return the address's point, or None when its street is not known: a household is never placed at a guess."""
    street, number = _street_and_number(address)
    if not street:
        return None
    point = _gazetteer_locate(street, postcode, municipality)
    if point is not None:
        return point
    place = " ".join(part for part in (postcode.strip(), _folded(municipality)) if part)
    query = ", ".join(part for part in (f"{street} {number}".strip(), place) if part)[:GEOCODED_QUERY_LENGTH]
    kept = GeocodedAddress.objects.filter(query=query).first()
    if kept is not None:
        return None if kept.latitude is None else Location(float(kept.latitude), float(kept.longitude))
    if not settings.GEOCODER:
        return None
    return _geocoder_locate(query)


@functools.cache
def _street_names(path: Path) -> dict[str, list[str]]:
    """Folded municipality → the street names as the table writes them, for suggestions."""
    names: dict[str, set[str]] = {}
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError:
        return {}
    with handle:
        for row in csv.DictReader(handle):
            if (row["street"] or "").strip():
                names.setdefault(_folded(row["municipality"] or ""), set()).add(row["street"].strip())
    return {municipality: sorted(streets) for municipality, streets in names.items()}


def streets_like(*, address: str, municipality: str, limit: int = 3) -> list[str]:
    """The known streets of the municipality whose names read closest to the address's street, closest first: what
    the operator offers the caller when the street is not found ("did you mean Calle del Almendro?")."""
    if settings.GEOCODER_GAZETTEER is None:
        return []
    street = _street_key(street_of(address))
    if not street:
        return []
    known = _street_names(settings.GEOCODER_GAZETTEER).get(_folded(municipality), [])
    keyed = {_street_key(street_of(name)): name for name in known}
    close = difflib.get_close_matches(street, list(keyed), n=limit, cutoff=0.5)
    return [keyed[key] for key in close]
