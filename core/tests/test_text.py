"""One folding for every comparison of text: searches, duplicates, imports, geocoding and the password rules."""

import unicodedata

import pytest

from core.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García", "garcia"),
        ("LUCÍA MARTÍNEZ Peñas", "lucia martinez penas"),
        ("Pº de la Estación, 3º", "po de la estacion, 3o"),
        ("Ça, Àvila, Müller", "ca, avila, muller"),
        ("", ""),
    ],
)
def test_folding_drops_accents_and_case(text, folded):
    assert fold(text) == folded


def test_a_decomposed_accent_folds_like_a_composed_one():
    assert fold(unicodedata.normalize("NFD", "Peña García")) == fold("Peña García") == "pena garcia"


def test_kept_letters_stay_as_written_in_lower_case():
    assert fold("Peña Ñandú", keep="ñ") == "peña ñandu"


def test_a_decomposed_enye_is_not_kept_as_an_enye():
    # Only the composed letter is a key of its own; "n" plus a combining tilde folds like any other accent.
    assert fold(unicodedata.normalize("NFD", "Peña"), keep="ñ") == "pena"
