import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.roles import LOGISTICS_PLANNER
from delivery.pickup import pickups_due
from logistics.models import DeliveryOrder
from logistics.selectors import order_status_counts
from routing.models import PlanningRun
from routing.selectors import run_rounds
from routing.services import planning_run_start


class Command(BaseCommand):
    help = "Plan a day's rounds (default: tomorrow) and print the summary with the manifest paths."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD; tomorrow by default")
        parser.add_argument("--username", help="who plans; the first logistics planner by default")
        parser.add_argument(
            "--draft", action="store_true", help="leave the plan unpublished, for the planner to review and publish"
        )

    def handle(self, *args, date=None, username=None, draft=False, **options):
        date = date or timezone.localdate() + dt.timedelta(days=1)
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
        else:
            actor = users.filter(groups__name=LOGISTICS_PLANNER).order_by("pk").first()
        if actor is None:
            raise CommandError(_("No planner found: pass --username, or create a user with the planner role."))
        try:
            run = planning_run_start(actor=actor, date=date, publish=not draft)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run.refresh_from_db()
        if run.status == PlanningRun.Status.DONE:
            self._summary(run)
        elif run.status == PlanningRun.Status.FAILED:
            raise CommandError(_("Planning failed: %(error)s") % {"error": run.error})
        else:
            self.stdout.write(_("Planning run %(run)s is queued; a Celery worker will plan it.") % {"run": run.pk})

    def _summary(self, run: PlanningRun) -> None:
        out = self.stdout.write
        labels = dict(DeliveryOrder.Status.choices)
        counts = order_status_counts(run.date)
        out(self.style.SUCCESS(_("Rounds for %(date)s") % {"date": date_format(run.date, "DATE_FORMAT")}))
        out(_("Orders due: %(counts)s") % {"counts": ", ".join(f"{labels[s]} {n}" for s, n in sorted(counts.items()))})
        rounds = list(run_rounds(run))
        for r in rounds:
            out(
                "  "
                + ngettext(
                    "%(vehicle)s, %(driver)s: %(stops)s stop, %(km)s km, %(start)s–%(end)s",
                    "%(vehicle)s, %(driver)s: %(stops)s stops, %(km)s km, %(start)s–%(end)s",
                    r.stop_count,
                )
                % {
                    "vehicle": f"{r.vehicle.name} ({r.vehicle.plate})",
                    "driver": r.driver.get_full_name() if r.driver else "-",
                    "stops": r.stop_count,
                    "km": number_format(r.distance_km, 1),
                    "start": f"{timezone.localtime(r.start_at):%H:%M}",
                    "end": f"{timezone.localtime(r.end_at):%H:%M}",
                }
            )
        out(
            _("Total: %(rounds)s rounds, %(stops)s stops, %(km)s km")
            % {
                "rounds": len(rounds),
                "stops": sum(r.stop_count for r in rounds),
                "km": number_format(run.total_distance_km, 1),
            }
        )
        unplaced = list(run.unplaced.select_related("order__household").order_by("order__priority", "order_id"))
        out(_("Left out: %(count)s") % {"count": len(unplaced)})
        for u in unplaced:
            out(f"  #{u.order.pk} {u.order.household.full_name}: {u.explanation}")
        pickups = pickups_due(run.date).count()
        if pickups:
            out(_("To be collected at the depot (not on a round): %(count)s") % {"count": pickups})
        if run.published_at is None:
            out(_("This is a draft: nobody has been told. Publish it on the planning board."))
            return
        folder = settings.MANIFEST_DIR / run.date.isoformat()
        out(_("Route sheets and loading lists in %(folder)s:") % {"folder": folder})
        for path in sorted(folder.glob(f"run{run.pk}-*.pdf")):
            out(f"  {path}")
