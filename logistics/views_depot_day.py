"""A day's orders served from another depot, from the orders page of that day: the planner fills the form, is told
how many orders will move, confirms, and logistics.depot_days moves them all or refuses with the reason."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.params import day_param
from core.permissions import permission_needed
from logistics.depot_days import PERMISSION, depot_day_check, orders_serve_from, orders_served_from
from logistics.forms import DepotDayForm
from requests_intake.zone_access import zone_ensure_open


def _orders_page(date: dt.date) -> str:
    return f"{reverse('orders')}?date={date.isoformat()}"


@require_POST
@permission_needed(PERMISSION)
def depot_day_view(request):
    """Without `confirmed`: the confirmation, with the number of orders that will move. With it: the move."""
    form = DepotDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_orders_page(day_param(request.POST.get("date"), timezone.localdate())))
    date, from_depot, to_depot, zone = (form.cleaned_data[k] for k in ("date", "from_depot", "to_depot", "zone"))
    # A planner listed on zones moves only those zones' orders, as every page reads them (403 otherwise).
    zone_ensure_open(request.user, zone.pk if zone else None)
    chosen = {"date": date, "from_depot": from_depot, "to_depot": to_depot, "zone": zone}
    if request.POST.get("confirmed") != "1":
        try:
            depot_day_check(actor=request.user, from_depot=from_depot, to_depot=to_depot, zone=zone)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(_orders_page(date))
        count = orders_served_from(actor=request.user, date=date, depot=from_depot, zone=zone).count()
        if not count:
            messages.error(
                request,
                _("No order due %(date)s waits at %(depot)s: nothing was moved.")
                % {"date": day_text(date), "depot": from_depot.name},
            )
            return redirect(_orders_page(date))
        return render(request, "logistics/depot_day_confirm.html", {**chosen, "count": count, "form": form})
    try:
        move = orders_serve_from(actor=request.user, **chosen)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(_orders_page(date))
    messages.success(
        request,
        ngettext(
            "%(count)s order due %(date)s is now served from %(depot)s.",
            "%(count)s orders due %(date)s are now served from %(depot)s.",
            move.count,
        )
        % {"count": move.count, "date": day_text(date), "depot": to_depot.name},
    )
    if move.waiting:
        messages.warning(
            request,
            ngettext(
                "%(count)s of them still waits for stock at %(depot)s.",
                "%(count)s of them still wait for stock at %(depot)s.",
                len(move.waiting),
            )
            % {"count": len(move.waiting), "depot": to_depot.name},
        )
    return redirect(_orders_page(date))
