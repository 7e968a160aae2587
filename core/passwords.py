"""Password rules Django lacks: enough different characters, no keyboard or alphabet runs, not the town's name, and
not the person's name with or without its accents (Django's similarity check compares "Lucía" and "lucia" as
different words)."""

import re
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.auth.password_validation import UserAttributeSimilarityValidator, exceeds_maximum_length_ratio
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from core.text import fold

# Runs read left to right on a Spanish keyboard and in the alphabet; each is also checked backwards.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiopasdfghjklñzxcvbnm",  # the letter rows one after the other, as people type them
    "qwertyuiop",
    "asdfghjklñ",
    "zxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolpñ",  # the columns, top to bottom
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
SHORTEST_RUN = 4
PROJECT_WORDS = ("reparto",)


def keyboard_fold(text: str) -> str:
    """Lower case without accents: "Lucía Martínez" → "lucia martinez" (ñ stays ñ, as the keyboard has it)."""
    return fold(text, keep="ñ")


class RepeatedCharactersValidator:
    """At least `min_distinct` different characters, and no character making up more than half the password."""

    def __init__(self, min_distinct: int = 4):
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        folded = keyboard_fold(password)
        most = max((folded.count(c) for c in set(folded)), default=0)
        if len(set(folded)) < self.min_distinct or most * 2 > len(folded):
            raise ValidationError(
                _("This password repeats the same characters too much; use at least %(count)s different ones.")
                % {"count": self.min_distinct},
                code="password_too_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password must use at least %(count)s different characters, none of them for half of it.") % {
            "count": self.min_distinct
        }


def _runs() -> tuple[str, ...]:
    return SEQUENCES + tuple(sequence[::-1] for sequence in SEQUENCES)


def sequence_share(password: str) -> float:
    """The share of the password's characters that lie in runs of SHORTEST_RUN or more keys or letters in a row."""
    folded = keyboard_fold(password)
    if not folded:
        return 0.0
    runs = _runs()
    covered, start = 0, 0
    while start < len(folded):
        length = 1
        while start + length < len(folded) and any(folded[start : start + length + 1] in run for run in runs):
            length += 1
        if length >= SHORTEST_RUN:
            covered += length
        start += length
    return covered / len(folded)


class SequenceValidator:
    """Not half or more made of keyboard or alphabet runs ("qwertyuiopas", "abcd1234…")."""

    def validate(self, password: str, user=None) -> None:
        if sequence_share(password) >= 0.5:
            raise ValidationError(
                _("This password is mostly keys or letters in a row (like “qwerty” or “abcd”); mix them up."),
                code="password_sequence",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t be mostly keys or letters in a row.")


def _place_words() -> list[str]:
    name = keyboard_fold(settings.MUNICIPALITY_NAME)
    words = [word for word in re.split(r"\W+", name) if len(word) >= SHORTEST_RUN]
    squashed = re.sub(r"\W+", "", name)
    return [*PROJECT_WORDS, *words, *([squashed] if len(squashed) >= SHORTEST_RUN else [])]


class PlaceNameValidator:
    """Not the municipality's name (MUNICIPALITY_NAME) nor "reparto", in any case, with or without accents."""

    def validate(self, password: str, user=None) -> None:
        squashed = re.sub(r"\W+", "", keyboard_fold(password))
        if any(word in squashed for word in _place_words()):
            raise ValidationError(
                _("This password contains the name of the town or of Reparto; anyone would try those first."),
                code="password_place_name",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t contain the name of the town or of Reparto.")


class FoldedUserAttributeSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's check that the password is not like the user's name, user name or e-mail, made blind to accents and
    case, and also compared with the whole name ("lucia.martinez" for Lucía Martínez)."""

    def validate(self, password: str, user=None) -> None:
        if not user:
            return
        password = keyboard_fold(password)
        values = [(attribute, getattr(user, attribute, None)) for attribute in self.user_attributes]
        full_name = f"{getattr(user, 'first_name', '') or ''} {getattr(user, 'last_name', '') or ''}".strip()
        values.append((None, full_name))
        for attribute, value in values:
            if not value or not isinstance(value, str):
                continue
            value = keyboard_fold(value)
            parts = [*re.split(r"\W+", value), value, re.sub(r"\W+", "", value)]
            for part in parts:
                if not part or exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(
                        _("The password is too similar to the %(verbose_name)s."),
                        code="password_too_similar",
                        params={"verbose_name": self._verbose_name(user, attribute)},
                    )

    @staticmethod
    def _verbose_name(user, attribute: str | None) -> str:
        if attribute is None:
            return _("full name")
        try:
            return user._meta.get_field(attribute).verbose_name
        except FieldDoesNotExist:
            return attribute
