from django.core.management.base import BaseCommand

from fixtures.demo_city import DEMO_PASSWORD, DEMO_USERS, demo_city_build
from requests_intake.models import Household


class Command(BaseCommand):
    help = "Load the demo town: users for every role, stock, 150 households and tomorrow's approved requests."

    def handle(self, *args, **options):
        if Household.objects.exists():
            self.stdout.write("Demo data already present; leaving it as it is.")
            return
        demo_city_build()
        self.stdout.write(self.style.SUCCESS("Demo town loaded."))
        self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): admin, " + ", ".join(u[0] for u in DEMO_USERS))
