"""The fleet page (vans, drivers' shifts and absences, a two-week calendar) and the depot's pick-up counter.

Every form posts, shows its outcome as a message and comes back to the page (the page keeps its day)."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.params import day_param
from core.permissions import permission_needed
from core.widgets import DatePicker
from logistics import fleet
from logistics.crew import drivers
from logistics.models import WEEKDAYS, DriverAbsence, Skill, Vehicle


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DriverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return fleet.person_name(obj)


class AvailabilityForm(forms.Form):
    available = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class VehicleDriverForm(forms.Form):
    driver = DriverChoiceField(
        label=gettext_lazy("Usual driver"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("— any free driver —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers()


class ShiftWeekForm(forms.Form):
    """start_0/end_0 (Monday) … start_6/end_6 (Sunday); both blank means no shift that day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for weekday, day in enumerate(WEEKDAYS):
            self.fields[f"start_{weekday}"] = forms.TimeField(label=day, required=False, widget=TimePicker())
            self.fields[f"end_{weekday}"] = forms.TimeField(label=day, required=False, widget=TimePicker())

    def week(self) -> dict[int, tuple[dt.time | None, dt.time | None]]:
        data = self.cleaned_data
        return {weekday: (data[f"start_{weekday}"], data[f"end_{weekday}"]) for weekday in range(7)}


class AbsenceForm(forms.Form):
    driver = DriverChoiceField(label=gettext_lazy("Driver"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DatePicker())
    ends_on = forms.DateField(label=gettext_lazy("Until"), widget=DatePicker())
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers()


def _form_errors(request, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _service_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _back_to_fleet(request):
    start = day_param(request.POST.get("from"), timezone.localdate())
    return redirect(f"{reverse('fleet')}?{urlencode({'from': start.isoformat()})}")


# Fleet


@permission_needed("logistics.view_vehicle", "logistics.view_drivershift", "logistics.view_driverabsence")
def fleet_page(request):
    """Vans and drivers, with who works which day for the next two weeks; planners edit, managers read."""
    today = timezone.localdate()
    start = day_param(request.GET.get("from"), today)
    dates, rows = fleet.availability_calendar(start)
    driver_ids = [row.driver.pk for row in rows]
    shifts = fleet.weekly_shifts(driver_ids)
    vehicles = list(Vehicle.objects.select_related("depot", "driver").order_by("depot__name", "name"))
    skill_labels = dict(Skill.choices)
    return render(
        request,
        "logistics/fleet/fleet.html",
        {
            "start": start,
            "previous": start - dt.timedelta(days=fleet.CALENDAR_DAYS),
            "next": start + dt.timedelta(days=fleet.CALENDAR_DAYS),
            "dates": dates,
            "rows": rows,
            "vehicles": [
                (vehicle, [skill_labels.get(skill, skill) for skill in vehicle.skills]) for vehicle in vehicles
            ],
            "drivers": [row.driver for row in rows],
            "shift_rows": [
                (row.driver, [(day, shifts[row.driver.pk].get(weekday)) for weekday, day in enumerate(WEEKDAYS)])
                for row in rows
            ],
            "absences": fleet.absences_ahead(today),
            "absence_form": AbsenceForm(initial={"starts_on": today, "ends_on": today}),
        },
    )


@require_POST
@permission_needed("logistics.change_vehicle")
def vehicle_availability(request, pk: int):
    vehicle = get_object_or_404(Vehicle, pk=pk)
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the van is available; nothing was changed."))
        return _back_to_fleet(request)
    vehicle = fleet.vehicle_availability_set(
        actor=request.user, vehicle=vehicle, available=form.cleaned_data["available"]
    )
    if vehicle.is_available:
        messages.success(request, _("%(vehicle)s is available for planning.") % {"vehicle": vehicle})
    else:
        messages.warning(request, _("%(vehicle)s is out of planning until made available.") % {"vehicle": vehicle})
    return _back_to_fleet(request)


@require_POST
@permission_needed("logistics.change_vehicle")
def vehicle_driver(request, pk: int):
    vehicle = get_object_or_404(Vehicle, pk=pk)
    form = VehicleDriverForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_fleet(request)
    try:
        vehicle = fleet.vehicle_driver_set(actor=request.user, vehicle=vehicle, driver=form.cleaned_data["driver"])
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        if vehicle.driver is None:
            messages.success(request, _("%(vehicle)s is driven by any free driver.") % {"vehicle": vehicle})
        else:
            messages.success(
                request,
                _("%(vehicle)s is usually driven by %(name)s.")
                % {"vehicle": vehicle, "name": fleet.person_name(vehicle.driver)},
            )
    return _back_to_fleet(request)


@require_POST
@permission_needed("logistics.add_drivershift", "logistics.change_drivershift", "logistics.delete_drivershift")
def driver_shift_save(request, pk: int):
    driver = get_object_or_404(drivers(), pk=pk)
    form = ShiftWeekForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_fleet(request)
    try:
        saved = fleet.driver_shifts_save(actor=request.user, driver=driver, week=form.week())
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        name = fleet.person_name(driver)
        if saved:
            messages.success(request, _("The weekly shifts of %(name)s were saved.") % {"name": name})
        else:
            messages.warning(
                request, _("%(name)s keeps no shifts now, so works the van's hours every day.") % {"name": name}
            )
    return _back_to_fleet(request)


@require_POST
@permission_needed("logistics.add_driverabsence")
def driver_absence_add(request):
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_fleet(request)
    try:
        absence = fleet.driver_absence_add(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s is absent from %(start)s to %(end)s.")
            % {
                "name": fleet.person_name(absence.driver),
                "start": day_text(absence.starts_on),
                "end": day_text(absence.ends_on),
            },
        )
    return _back_to_fleet(request)


@require_POST
@permission_needed("logistics.delete_driverabsence")
def driver_absence_delete(request, pk: int):
    absence = get_object_or_404(DriverAbsence.objects.select_related("driver"), pk=pk)
    fleet.driver_absence_delete(actor=request.user, absence=absence)
    messages.success(
        request,
        _("The absence of %(name)s from %(start)s was deleted.")
        % {"name": fleet.person_name(absence.driver), "start": day_text(absence.starts_on)},
    )
    return _back_to_fleet(request)
