"""Assign the week's flexible orders to days (logistics.week_plan), then plan each day (routing)."""

import datetime as dt
from json import dumps

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import LOGISTICS_PLANNER
from logistics.week_plan import orders_assign_week, reference
from routing.models import PlanningRun
from routing.services import planning_run_start


class Command(BaseCommand):
    help = (
        "Give each flexible order of the coming days a day it allows (holidays, zone days, the household's days "
        "and absences), keeping zones together and vans few over the week, then plan each day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", type=dt.date.fromisoformat, help="YYYY-MM-DD; tomorrow by default")
        parser.add_argument("--days", type=int, default=5, help="how many days from --start (5 by default)")
        parser.add_argument("--username", help="who plans; the first logistics planner by default")
        parser.add_argument("--draft", action="store_true", help="leave each day's plan unpublished")
        parser.add_argument("--json", action="store_true", help="print the week as JSON (its shape is in the README)")

    def handle(self, *args, start=None, days=5, username=None, draft=False, json=False, **options):
        if not 1 <= days <= 14:
            raise CommandError(_("--days must be from 1 to 14, not %(days)s.") % {"days": days})
        start = start or timezone.localdate() + dt.timedelta(days=1)
        if start < timezone.localdate():
            raise CommandError(_("%(date)s is in the past: plan from today on.") % {"date": start.isoformat()})
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(groups__name=LOGISTICS_PLANNER).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(_("No planner found: pass --username, or create a user with the planner role."))
        week = orders_assign_week(actor=actor, start=start, days=days)
        document = {"days": [], "left_out": [{"order": reference(o), "reason": why} for o, why in week.left_out]}
        for offset in range(days):
            date = start + dt.timedelta(days=offset)
            orders = week.days.get(date, [])
            entry = {"date": date.isoformat(), "orders": [reference(o) for o in orders], "vans": 0, "km": 0.0}
            if orders:
                entry.update(self._plan(actor, date, draft, document["left_out"]))
            document["days"].append(entry)
        if json:
            self.stdout.write(dumps(document, ensure_ascii=False, indent=2))
            return
        for entry in document["days"]:
            self.stdout.write(
                _("%(date)s: %(orders)s orders, %(vans)s vans, %(km)s km")
                % {"date": entry["date"], "orders": len(entry["orders"]), "vans": entry["vans"], "km": entry["km"]}
            )
        self.stdout.write(
            _("Moved to another day: %(moved)s; left out: %(left)s")
            % {"moved": week.moved, "left": len(document["left_out"])}
        )
        for item in document["left_out"]:
            self.stdout.write(f"  {item['order']}: {item['reason']}")

    def _plan(self, actor, date: dt.date, draft: bool, left_out: list) -> dict:
        try:
            run = planning_run_start(actor=actor, date=date, publish=not draft)
        except ValidationError as refusal:
            raise CommandError(f"{date.isoformat()}: {' '.join(refusal.messages)}") from refusal
        run.refresh_from_db()
        if run.status != PlanningRun.Status.DONE:
            raise CommandError(
                _("%(date)s could not be planned (%(status)s): %(error)s")
                % {"date": date.isoformat(), "status": run.get_status_display(), "error": run.error or "-"}
            )
        for unplaced in run.unplaced.select_related("order__plan__request"):
            left_out.append({"order": reference(unplaced.order), "reason": unplaced.explanation})
        return {"vans": run.rounds.count(), "km": run.total_distance_km}
