"""python manage.py council_report --month 2026-03 [--format csv|xlsx|pdf] [--out PATH] [--language es]"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.council import WRITERS, council_report_file, period_parse


class Command(BaseCommand):
    help = "Write the council's report for a month or a quarter (CSV by default, to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM")
        parser.add_argument("--quarter", default="", help="YYYY-Qn")
        parser.add_argument("--format", default="csv", choices=sorted(WRITERS))
        parser.add_argument("--out", default="", help="File to write; standard output when left out.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, month: str, quarter: str, format: str, out: str, language: str, **options):  # noqa: A002
        try:
            period, name = period_parse(month=month, quarter=quarter)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        content = council_report_file(period=period, name=name, file_format=format, language=language)
        if out:
            Path(out).write_bytes(content)
            self.stderr.write(f"{out}: {len(content)} bytes")
        elif format == "csv":
            self.stdout.write(content.decode("utf-8-sig"), ending="")
        else:  # a binary file goes to standard output as it is, for a pipe or a redirect
            sys.stdout.buffer.write(content)
