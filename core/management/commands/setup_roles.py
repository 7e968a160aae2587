from django.core.management.base import BaseCommand

from core.roles import roles_sync


class Command(BaseCommand):
    help = "Create the six role groups and give each its permissions (safe to run again)."

    def handle(self, *args, **options):
        groups = roles_sync()
        self.stdout.write(f"Roles ready: {', '.join(sorted(groups))}")
