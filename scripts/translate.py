"""Fill Spanish translations from the command line: python scripts/translate.py "msgid" "msgstr" [...]"""

import sys
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(pairs: list[str]) -> None:
    catalogue = PATH.read_text(encoding="utf-8")
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        empty = f'msgid {quote(msgid)}\nmsgstr ""\n'
        if empty not in catalogue:
            raise SystemExit(f"no untranslated single-line entry for {msgid!r}")
        catalogue = catalogue.replace(empty, f"msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n")
    PATH.write_text(catalogue, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
