"""Fill Spanish translations from the command line: python scripts/translate.py "msgid" "msgstr" [...]

For a plural entry give the singular msgid and both forms separated by " || "; for an entry with a context
(pgettext) write the msgid as "context::msgid".

Also clears the fuzzy mark makemessages puts on guesses, so the entry counts as translated."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def main(pairs: list[str]) -> None:
    with PATH.open(encoding="utf-8") as handle:
        catalogue = read_po(handle, locale="es", domain="django")
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        context, _sep, bare = msgid.rpartition("::")
        message = catalogue.get(bare, context=context or None)
        if message is None:
            raise SystemExit(f"not in the catalogue: {msgid!r}")
        message.string = tuple(msgstr.split(" || ")) if message.pluralizable else msgstr
        message.flags.discard("fuzzy")
        message.previous_id = []
    with PATH.open("wb") as handle:
        write_po(handle, catalogue, width=120)


if __name__ == "__main__":
    main(sys.argv[1:])
