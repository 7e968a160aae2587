"""Check translation catalogues before they ship: python scripts/i18n_check.py [--placeholders-only] [PO ...]

Without paths it checks every locale/*/LC_MESSAGES/django.po. It reports entries that are untranslated or fuzzy
(Django ignores both and shows the English) and translations whose placeholders or HTML tags differ from the
source: a missing %(name)s raises KeyError at render time and a lost tag breaks the page, and neither shows up
until someone opens that page in that language. Exit status 1 when anything is wrong.

--placeholders-only skips the completeness check, for catalogues that are waiting for new strings.
"""

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# printf conversions as Python's % operator reads them: %(name)s, %(backup).1f, %s, %5d; %% is a literal percent.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
# str.format fields: {value}, {pk_value}, {0}, {}, {count:d}; doubled braces are literals.
BRACE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)\b[^<>]*>")


def catalogue_paths() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _printf_tokens(text: str) -> tuple[Counter, list[str]]:
    """Named conversions (their order is free) and positional ones (their order is the argument order)."""
    named: Counter = Counter()
    positional: list[str] = []
    for match in PRINTF.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is not None:
            named[match.group(0)] += 1
        else:
            positional.append(match.group(0))
    return named, positional


def _tokens(text: str, printf: bool) -> dict[str, object]:
    named, positional = _printf_tokens(text) if printf else (Counter(), [])
    return {
        "named placeholders": set(named),
        "positional placeholders": positional,
        "format fields": {match["field"] for match in BRACE.finditer(text)},
        "HTML tags": Counter(match["close"] + match["name"].lower() for match in TAG.finditer(text)),
    }


def _describe(kind: str, source: object, translated: object) -> str:
    if isinstance(source, set) and isinstance(translated, set):
        parts = []
        if source - translated:
            parts.append("missing " + ", ".join(sorted(source - translated)))
        if translated - source:
            parts.append("unknown " + ", ".join(sorted(translated - source)))
        return f"{kind}: {'; '.join(parts)}"
    if isinstance(source, Counter) and isinstance(translated, Counter):
        source, translated = sorted(source.elements()), sorted(translated.elements())
    return f"{kind}: source has {source}, translation has {translated}"


def placeholder_problems(message: Message) -> list[str]:
    """How the translation's placeholders and tags differ from the source's; empty when they agree."""
    printf = "python-format" in message.flags
    sources = list(message.id) if message.pluralizable else [message.id]
    translations = [form for form in (message.string if message.pluralizable else [message.string]) if form]
    problems = []
    if not message.pluralizable:
        expected = _tokens(sources[0], printf)
        for text in translations:
            found = _tokens(text, printf)
            problems += [
                _describe(kind, expected[kind], found[kind]) for kind in expected if expected[kind] != found[kind]
            ]
        return problems
    # A singular form may spell out its number ("1 action") and leave the counter out, so each form may use a
    # subset of the source's placeholders, but the last (plural) form must use exactly the msgid_plural's.
    plural = _tokens(sources[-1], printf)
    allowed = {kind: set() for kind in ("named placeholders", "format fields")}
    for source in sources:
        tokens = _tokens(source, printf)
        for kind in allowed:
            allowed[kind] |= tokens[kind]
    for index, text in enumerate(translations):
        found = _tokens(text, printf)
        for kind in allowed:
            if not found[kind] <= allowed[kind]:
                problems.append(_describe(kind, allowed[kind], found[kind]))
        if found["HTML tags"] != plural["HTML tags"]:
            problems.append(_describe("HTML tags", plural["HTML tags"], found["HTML tags"]))
        if index == len(message.string) - 1:
            problems += [
                _describe(kind, plural[kind], found[kind])
                for kind in ("named placeholders", "format fields", "positional placeholders")
                if plural[kind] != found[kind]
            ]
    return problems


def is_untranslated(message: Message) -> bool:
    return not (all(message.string) if message.pluralizable else message.string)


def check(path: Path, placeholders_only: bool = False) -> list[str]:
    """Every problem in one catalogue, one line each, as `path:line: msgid: problem`."""
    lines = []
    for message in read_catalogue(path):
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        where = f"{path}:{message.lineno}: {msgid!r}"
        if not placeholders_only:
            if message.fuzzy:
                lines.append(f"{where}: fuzzy")
            if is_untranslated(message):
                lines.append(f"{where}: untranslated")
        lines += [f"{where}: {problem}" for problem in placeholder_problems(message)]
    return lines


def main(arguments: list[str]) -> int:
    placeholders_only = "--placeholders-only" in arguments
    paths = [Path(argument) for argument in arguments if not argument.startswith("--")] or catalogue_paths()
    problems = [line for path in paths for line in check(path, placeholders_only)]
    sys.stdout.writelines(f"{line}\n" for line in problems)
    sys.stderr.write(f"{len(paths)} catalogue(s) checked, {len(problems)} problem(s).\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
