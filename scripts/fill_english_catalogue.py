"""English is the source language, so its catalogue maps every message to itself.

Run after `make makemessages`: python scripts/fill_english_catalogue.py
"""

from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> None:
    with PATH.open(encoding="utf-8") as handle:
        catalogue = read_po(handle, locale="en", domain="django")
    catalogue.locale = Locale.parse("en")  # the header makemessages writes leaves Language empty
    catalogue.project = "Reparto"
    catalogue.language_team = "Reparto <equipo@reparto.example.org>"
    catalogue.last_translator = "Reparto <equipo@reparto.example.org>"
    catalogue.revision_date = catalogue.creation_date
    catalogue.fuzzy = False
    for message in catalogue:
        if message.id:
            message.flags.discard("fuzzy")
            message.string = tuple(message.id) if message.pluralizable else message.id
    with PATH.open("wb") as handle:
        write_po(handle, catalogue, width=120)


if __name__ == "__main__":
    main()
