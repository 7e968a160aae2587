from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backups import restore


class Command(BaseCommand):
    help = "Replace the configured database with a backup written by `backup` (stop the web and workers first)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the database.")

    def handle(self, *args, **options):
        path = options["path"]
        if not path.exists():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        question = _("Replace the database with %(name)s? [y/N] ") % {"name": path.name}
        if not options["yes"] and input(question).strip().lower() not in ("y", "s"):
            raise CommandError(_("Nothing was restored."))
        try:
            restore(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored %(name)s. Run `manage.py migrate` if the backup is older than this version.")
            % {"name": path.name}
        )
