from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from fixtures.demo_city import DEMO_PASSWORD, DEMO_USERS, demo_city_build
from inventory.alerts import alerts_refresh
from requests_intake.models import Household


class Command(BaseCommand):
    help = "Load the demo town: users for every role, stock, 150 households and tomorrow's approved requests."

    def handle(self, *args, **options):
        if Household.objects.exists():
            self.stdout.write(_("The demo data is already loaded; it is left as it is."))
            return
        demo_city_build()
        self.stdout.write(self.style.SUCCESS(_("Demo town loaded.")))
        alerts = alerts_refresh()
        self.stdout.write(
            _("Stock alerts for the supplier coordinator: %(count)s open.") % {"count": alerts.created + alerts.updated}
        )
        users = ", ".join(["admin", *(u[0] for u in DEMO_USERS)])
        self.stdout.write(
            _("Demo users: %(users)s; password %(password)s") % {"users": users, "password": DEMO_PASSWORD}
        )
