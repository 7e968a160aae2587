from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.accounts import password_change_require
from fixtures.demo_city import DEMO_PASSWORD, DEMO_USERS, demo_city_build
from inventory.alerts import alerts_refresh
from requests_intake.models import Household


class Command(BaseCommand):
    help = "Load the demo town: users for every role, stock, 150 households and tomorrow's approved requests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load it even with DJANGO_DEBUG off (a production database): for a training copy only",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            # The demo's accounts, admin included, share a password printed in the README.
            raise CommandError(
                _(
                    "DJANGO_DEBUG is off, so this looks like a production database: the demo would add an admin and "
                    "six accounts whose password is published. Nothing was loaded. Run it with --force only on a "
                    "copy for training."
                )
            )
        if Household.objects.exists():
            self.stdout.write(_("The demo data is already loaded; it is left as it is."))
            return
        demo_city_build()
        usernames = ["admin", *(u[0] for u in DEMO_USERS)]
        # Outside development their published password must go at the first sign-in (core.middleware).
        password_change_require(usernames=usernames)
        self.stdout.write(self.style.SUCCESS(_("Demo town loaded.")))
        alerts = alerts_refresh()
        self.stdout.write(
            _("Stock alerts for the supplier coordinator: %(count)s open.") % {"count": alerts.created + alerts.updated}
        )
        demo = {"users": ", ".join(usernames), "password": DEMO_PASSWORD}
        self.stdout.write(_("Demo users: %(users)s; password %(password)s") % demo)
