"""Load a city-sized dataset for load tests and large demos (fixtures/city.py); prints what it made and how long it
took."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from fixtures.city import MAX_HOUSEHOLDS, MIN_HOUSEHOLDS, city_build
from fixtures.demo_city import DEMO_PASSWORD
from requests_intake.models import Household


class Command(BaseCommand):
    help = (
        "Build a city: households over Cartagena's neighbourhoods, a month of requests in every status, plans, "
        "stock, today's published rounds and tomorrow's orders reserved. Refuses a database that has households "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=100_000, help="default 100,000")
        parser.add_argument("--seed", type=int, default=2026, help="the same seed on the same day builds the same city")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="for the demo users it creates")
        parser.add_argument("--requests", type=int, help="requests of the last month; default a fifth of households")
        parser.add_argument("--day-orders", type=int, help="orders due tomorrow; default a fiftieth of households")
        parser.add_argument("--force", action="store_true", help="add the city to a database that has households")

    def handle(self, *args, **options):
        households = options["households"]
        if not MIN_HOUSEHOLDS <= households <= MAX_HOUSEHOLDS:
            raise CommandError(
                _("--households must be between %(low)s and %(high)s; got %(value)s.")
                % {"low": MIN_HOUSEHOLDS, "high": MAX_HOUSEHOLDS, "value": households}
            )
        if not options["password"]:
            raise CommandError(_("--password cannot be empty."))
        existing = Household.objects.count()
        if existing and not options["force"]:
            raise CommandError(
                _(
                    "The database already has %(count)s households; nothing was added. Use an empty database, "
                    "or --force to add the city to this one."
                )
                % {"count": existing}
            )

        def progress(step: str, seconds: float) -> None:
            self.stdout.write(f"  {step}: {seconds:.1f} s")
            self.stdout.flush()

        self.stdout.write(_("Building a city of %(count)s households…") % {"count": f"{households:,}"})
        # The query log DEBUG keeps would hold every bulk insert's SQL and slow the build down.
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            report = city_build(
                households=households,
                seed=options["seed"],
                password=options["password"],
                requests=options["requests"],
                day_orders=options["day_orders"],
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            settings.DEBUG = debug
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first queries after a bulk load are planned for the real table sizes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        if report.users_kept:
            self.stdout.write(
                _("These users already existed and kept their passwords: %(users)s")
                % {"users": ", ".join(report.users_kept)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("City built in %(seconds)s s. Users: operadora, trabajadora, planificador, conductor1, gerente, …")
                % {"seconds": f"{report.seconds:.1f}"}
            )
        )
