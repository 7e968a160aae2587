from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backups import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or the SQLite file) and the proof-of-delivery files."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=settings.VAR_DIR / "backups", help="Directory to write into.")

    def handle(self, *args, **options):
        for path in backup(options["to"]):
            self.stdout.write(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
