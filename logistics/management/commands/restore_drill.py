import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backups import drill


class Command(BaseCommand):
    help = "Back up, restore into a fresh database, compare every table and check the restored stock ledger."

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as work:
            result = drill(Path(work))
        self.stdout.write(
            f"backup {result['backup_seconds']:.1f} s, restore {result['restore_seconds']:.1f} s, "
            f"{result['tables']} tables, {result['rows']} rows, restored into {result['restored_into']}"
        )
        self.stdout.write(result["ledger_report"])
        if result["differences"]:
            raise CommandError(f"row counts differ after restore: {result['differences']}")
        if not result["ledger_ok"]:
            raise CommandError("the restored stock ledger does not match its balances")
        self.stdout.write("Drill passed: every table has the same rows and the ledger matches.")
