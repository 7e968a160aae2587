"""The delivery calendar page: the planner enters the municipality's local holidays and opens or closes the
weekdays vans go to each zone and depot (logistics.calendar_edit does the work); public holidays are shown as the
`holidays` package gives them. Managers read the page."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.permissions import permission_needed
from core.widgets import DatePicker
from inventory.models import Warehouse
from logistics.calendar import public_holidays
from logistics.calendar_edit import delivery_days_set, local_holiday_add, local_holiday_remove
from logistics.models import WEEKDAYS, DeliveryDay, LocalHoliday
from requests_intake.models import Zone

VIEW = ("logistics.view_localholiday", "logistics.view_deliveryday")
HOLIDAYS_AHEAD_DAYS = 365


class LocalHolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Day"), widget=DatePicker)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class DeliveryDaysForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Delivery days"),
        choices=[(str(number), label) for number, label in enumerate(WEEKDAYS)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _rows(owners, field: str) -> list[tuple]:
    """(owner, [(weekday number, label, open)], has days of its own) for each zone or depot."""
    days: dict[int, set[int]] = {}
    for owner_id, weekday in DeliveryDay.objects.filter(**{f"{field}__isnull": False}).values_list(field, "weekday"):
        days.setdefault(owner_id, set()).add(weekday)
    return [
        (owner, [(n, label, n in days.get(owner.pk, ())) for n, label in enumerate(WEEKDAYS)], owner.pk in days)
        for owner in owners
    ]


def _page(request, *, holiday_form=None, status: int = 200):
    today = timezone.localdate()
    return render(
        request,
        "logistics/calendar/calendar.html",
        {
            "local_holidays": LocalHoliday.objects.filter(date__gte=today),
            "public_holidays": sorted(public_holidays(today, today + dt.timedelta(days=HOLIDAYS_AHEAD_DAYS))),
            "holiday_form": holiday_form or LocalHolidayForm(),
            "depots": _rows(Warehouse.objects.order_by("name"), "warehouse"),
            "zones": _rows(Zone.objects.order_by("name"), "zone"),
            "weekdays": WEEKDAYS,
        },
        status=status,
    )


@permission_needed(*VIEW)
def delivery_calendar(request):
    return _page(request)


def _say_orders_to_move(request, count: int) -> None:
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)s open order already falls on it: move it from the orders page.",
                "%(count)s open orders already fall on it: move them from the orders page.",
                count,
            )
            % {"count": count},
        )


@require_POST
@permission_needed("logistics.add_localholiday")
def local_holiday_add_view(request):
    form = LocalHolidayForm(request.POST)
    if not form.is_valid():
        return _page(request, holiday_form=form, status=400)
    try:
        holiday, due = local_holiday_add(actor=request.user, **form.cleaned_data)
    except ValidationError as refusal:
        for field, errors in refusal.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, holiday_form=form, status=409)
    messages.success(
        request,
        _("%(date)s is a local holiday: no deliveries that day.") % {"date": day_text(holiday.date)},
    )
    _say_orders_to_move(request, due)
    return redirect("delivery_calendar")


@require_POST
@permission_needed("logistics.delete_localholiday")
def local_holiday_remove_view(request, pk: int):
    holiday = get_object_or_404(LocalHoliday, pk=pk)
    local_holiday_remove(actor=request.user, holiday=holiday)
    messages.success(request, _("%(date)s is no longer a local holiday.") % {"date": day_text(holiday.date)})
    return redirect("delivery_calendar")


def _days_save(request, **owner):
    form = DeliveryDaysForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the weekdays among Monday to Sunday."))
        return redirect("delivery_calendar")
    _closed, due = delivery_days_set(actor=request.user, weekdays=form.cleaned_data["weekdays"], **owner)
    name = next(iter(owner.values()))
    messages.success(request, _("The delivery days of %(name)s are saved.") % {"name": name})
    _say_orders_to_move(request, due)
    return redirect("delivery_calendar")


@require_POST
@permission_needed("logistics.add_deliveryday", "logistics.delete_deliveryday")
def zone_delivery_days(request, pk: int):
    return _days_save(request, zone=get_object_or_404(Zone, pk=pk))


@require_POST
@permission_needed("logistics.add_deliveryday", "logistics.delete_deliveryday")
def depot_delivery_days(request, pk: int):
    return _days_save(request, warehouse=get_object_or_404(Warehouse, pk=pk))
