"""One way to write a day: day/month/year in every language, from core.dates, in Python and in templates."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.dates import day_text, moment_text

ROOT = Path(settings.BASE_DIR)
# Written anywhere else, the day could come out month first (English SHORT_DATE_FORMAT) or drift from this one.
SECOND_COPIES = re.compile(r"""strftime\(["']%d/%m/%Y|SHORT_DATE_FORMAT|date:"d/m/Y""")


@pytest.mark.parametrize("language", ["es", "ca", "en"])
def test_a_day_is_written_day_first_in_every_language(language):
    with translation.override(language):
        assert day_text(dt.date(2026, 12, 5)) == "05/12/2026"
        assert Template("{{ d|day }}").render(Context({"d": dt.date(2026, 12, 5)})) == "05/12/2026"


def test_a_moment_is_written_in_local_time_and_its_day_is_the_local_day(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    late_utc = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)

    assert moment_text(late_utc) == "05/12/2026 00:30"
    assert day_text(late_utc) == "05/12/2026"
    assert Template("{{ t|moment }}").render(Context({"t": late_utc})) == "05/12/2026 00:30"


def test_an_empty_date_prints_nothing():
    assert Template("[{{ d|day }}][{{ d|moment }}]").render(Context({"d": None})) == "[][]"


def test_no_module_or_template_writes_the_day_format_itself():
    # The project's own folders only: walking the virtualenv and the collected static files took most of the time.
    folders = [
        p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in {"var", "staticfiles"}
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for folder in folders
        for pattern in ("*.py", "*.html")
        for path in folder.rglob(pattern)
        if "tests" not in path.parts
        and path != ROOT / "core" / "dates.py"
        and SECOND_COPIES.search(path.read_text(encoding="utf-8", errors="replace"))
    ]

    assert offenders == []
