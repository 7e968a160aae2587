import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.backups import drill

# Marked here, translated when printed (gettext_noop keeps it in the catalogue).
SUMMARY = gettext_noop(
    "Backup %(backup).1f s, restore %(restore).1f s: %(rows)s rows in %(tables)s tables, into %(into)s."
)


class Command(BaseCommand):
    help = "Back up, restore into a fresh database, compare every table and check the restored stock ledger."

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as work:
            result = drill(Path(work))
        self.stdout.write(
            _(SUMMARY)
            % {
                "backup": result["backup_seconds"],
                "restore": result["restore_seconds"],
                "tables": result["tables"],
                "rows": result["rows"],
                "into": result["restored_into"],
            }
        )
        self.stdout.write(result["ledger_report"])
        if result["differences"]:
            raise CommandError(
                _("Row counts differ after the restore: %(differences)s") % {"differences": result["differences"]}
            )
        if not result["ledger_ok"]:
            raise CommandError(_("The restored stock ledger does not match its balances."))
        self.stdout.write(_("Drill passed: every table has the same rows and the ledger matches."))
