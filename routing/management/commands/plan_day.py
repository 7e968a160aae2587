import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.roles import LOGISTICS_PLANNER
from logistics.selectors import order_status_counts
from routing.models import PlanningRun
from routing.selectors import run_rounds
from routing.services import planning_run_start


class Command(BaseCommand):
    help = "Plan a day's rounds (default: tomorrow) and print the summary with the manifest paths."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD; tomorrow by default")
        parser.add_argument("--username", help="who plans; the first logistics planner by default")

    def handle(self, *args, date=None, username=None, **options):
        date = date or timezone.localdate() + dt.timedelta(days=1)
        User = get_user_model()
        actor = (
            User.objects.filter(username=username).first()
            if username
            else User.objects.filter(groups__name=LOGISTICS_PLANNER, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("No planner user found: pass --username or run setup_roles and create a planner.")
        try:
            run = planning_run_start(actor=actor, date=date)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run.refresh_from_db()
        if run.status != PlanningRun.Status.DONE:
            self.stdout.write(f"Planning run {run.pk} queued for {date}; a Celery worker will plan it.")
            return
        self._summary(run)

    def _summary(self, run: PlanningRun) -> None:
        from django.conf import settings

        out = self.stdout.write
        counts = order_status_counts(run.date)
        out(self.style.SUCCESS(f"Rounds for {run.date:%A %d/%m/%Y}"))
        out("Orders due: " + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())))
        rounds = list(run_rounds(run))
        for r in rounds:
            out(
                f"  {r.vehicle.name} ({r.vehicle.plate}), driver {r.driver.username if r.driver else '-'}: "
                f"{r.stop_count} stops, {r.distance_km} km, {timezone.localtime(r.start_at):%H:%M}"
                f"–{timezone.localtime(r.end_at):%H:%M}"
            )
        out(f"Total: {len(rounds)} rounds, {sum(r.stop_count for r in rounds)} stops, {run.total_distance_km} km")
        unplaced = list(run.unplaced.select_related("order__household"))
        out(f"Left out: {len(unplaced)}")
        for u in unplaced:
            out(f"  order {u.order.pk} ({u.order.household.full_name}): {u.explanation}")
        folder = settings.MANIFEST_DIR / run.date.isoformat()
        out(f"Manifests (route sheet + loading list per round) in {folder}:")
        for path in sorted(folder.glob(f"run{run.pk}-*.pdf")):
            out(f"  {path}")
