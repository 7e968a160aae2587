"""Text as Reparto compares it: one folding for searches, duplicates, imports, geocoding and the password rules."""

import unicodedata


def fold(text: str, *, keep: str = "") -> str:
    """Lower case without accents, so "garcia" finds "García" on every database.

    Letters in `keep` stay as written, lower case: the password rules keep "ñ", a key of its own on a Spanish keyboard,
    where searches fold it to "n" like any other accent."""
    return "".join(ch if ch in keep else _unaccented(ch) for ch in text.lower())


def _unaccented(ch: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(part))
