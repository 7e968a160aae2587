"""Import households from a CSV or XLSX file, all or nothing; exit 1 listing every row error when it is refused."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from requests_intake.imports import HouseholdImportRefused, households_import


class Command(BaseCommand):
    help = "Import households from a CSV or XLSX file; nothing is saved if any row is wrong (exit status 1)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV or XLSX file, header in row 1.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and save nothing.")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.stderr.write(_("%(path)s cannot be read: %(error)s") % {"path": path, "error": exc.strerror})
            sys.exit(1)
        try:
            result = households_import(actor=None, content=content, file_name=path.name, dry_run=dry_run)
        except HouseholdImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            self.stderr.write(
                ngettext(
                    "%(count)s error; nothing was imported.", "%(count)s errors; nothing was imported.", len(exc.errors)
                )
                % {"count": len(exc.errors)}
            )
            sys.exit(1)
        for column in result.ignored_columns:
            self.stdout.write(_("Column “%(column)s” is not read.") % {"column": column})
        if dry_run:
            message = ngettext(
                "%(count)s household would be imported.", "%(count)s households would be imported.", result.count
            )
        else:
            message = ngettext("%(count)s household imported.", "%(count)s households imported.", result.created)
        self.stdout.write(message % {"count": result.count})
        if result.unplaced:
            self.stdout.write(
                ngettext(
                    "%(count)s of them has no map point: its street is not in the street table.",
                    "%(count)s of them have no map point: their streets are not in the street table.",
                    result.unplaced,
                )
                % {"count": result.unplaced}
            )
