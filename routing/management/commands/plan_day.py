import datetime as dt
from json import dumps

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
from routing.export import run_document
from routing.models import PlanningRun
from routing.selectors import run_rounds, run_totals
from routing.services import planning_run_start


class Command(BaseCommand):
    help = "Plan a day's rounds (default: tomorrow) and print the summary with the manifest paths."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD; tomorrow by default")
        parser.add_argument("--username", help="who plans; the first logistics planner by default")
        parser.add_argument(
            "--draft", action="store_true", help="leave the plan unpublished, for the planner to review and publish"
        )
        parser.add_argument(
            "--objective",
            default=PlanningRun.Objective.VANS,
            help="what the plan minimises: vans (fewest vans, the default), distance, or balanced (rounds)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the plan as JSON on stdout (its shape is in the README)"
        )

    def handle(self, *args, date=None, username=None, draft=False, objective="vans", json=False, **options):
        if objective not in PlanningRun.Objective.values:
            # Refused before anything is planned, in the command's words.
            raise CommandError(
                _("“%(objective)s” is not a planning objective: choose %(choices)s.")
                % {"objective": objective, "choices": ", ".join(PlanningRun.Objective.values)}
            )
        date = date or timezone.localdate() + dt.timedelta(days=1)
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
        else:
            actor = users.filter(groups__name=LOGISTICS_PLANNER).order_by("pk").first()
        if actor is None:
            raise CommandError(_("No planner found: pass --username, or create a user with the planner role."))
        try:
            run = planning_run_start(actor=actor, date=date, publish=not draft, objective=objective)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run.refresh_from_db()
        if run.status == PlanningRun.Status.DONE and json:
            self.stdout.write(dumps(run_document(run), ensure_ascii=False, indent=2))
        elif run.status == PlanningRun.Status.DONE:
            self._summary(run)
        elif run.status == PlanningRun.Status.FAILED:
            raise CommandError(_("Planning failed: %(error)s") % {"error": run.error})
        else:
            # With --json, stdout carries only the plan: the notice goes to stderr.
            (self.stderr if json else self.stdout).write(
                _("Planning run %(run)s is queued; a Celery worker will plan it.") % {"run": run.pk}
            )

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
                + (_(", break at %(time)s") % {"time": f"{timezone.localtime(r.break_at):%H:%M}"} if r.break_at else "")
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
        totals = run_totals(run)
        out(
            _("Planned for: %(objective)s (engine: %(engine)s); %(vans)s vans, %(cost)s € (VAT excluded)")
            % {
                "objective": totals["objective"],
                "engine": totals["engine"] or "-",
                "vans": totals["vans"],
                "cost": number_format(totals["cost"], 2),
            }
        )
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
