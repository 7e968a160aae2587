from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backups import restore


class Command(BaseCommand):
    help = "Replace the configured database with a backup written by `backup` (stop the web and workers first)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the database.")

    def handle(self, *args, **options):
        path = options["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        if not options["yes"] and input(f"Replace the database with {path.name}? [y/N] ").strip().lower() != "y":
            raise CommandError("Nothing was restored.")
        try:
            restore(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {path.name}. Run `manage.py migrate` if the backup is older than this version.")
