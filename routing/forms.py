import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import IdMultipleChoiceField
from core.widgets import DatePicker
from delivery.models import Round
from inventory.models import Warehouse
from routing.models import PlanningRun


def default_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class PlanDayForm(forms.Form):
    date = forms.DateField(label=_("Day to plan"), widget=DatePicker())
    objective = forms.ChoiceField(
        label=_("Plan for"),
        choices=PlanningRun.Objective.choices,
        initial=PlanningRun.Objective.VANS,
        required=False,  # fitting orders in sends no objective: the current plan's is kept
        error_messages={"invalid_choice": _("“%(value)s” is not a planning objective: choose one of the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", default_day())


class BoardFilterForm(forms.Form):
    """Which day and depots the board shows; a bad value is reported and the board falls back to its default."""

    date = forms.DateField(label=_("Day"), required=False, widget=DatePicker())
    depot = IdMultipleChoiceField(
        label=_("Depots"),
        queryset=Warehouse.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every depot."),
    )

    def __init__(self, query, *args, **kwargs):
        data = query.copy()
        if not data.get("date"):
            data["date"] = default_day().isoformat()
        super().__init__(data, *args, **kwargs)

    @property
    def day(self) -> dt.date:
        self.is_valid()
        return self.cleaned_data.get("date") or default_day()  # absent when the date given was not a date

    @property
    def depots(self) -> list[Warehouse]:
        self.is_valid()
        return list(self.cleaned_data.get("depot") or [])


class StopLockForm(forms.Form):
    locked = forms.TypedChoiceField(
        label=_("Locked"),
        choices=[("1", _("Lock")), ("0", _("Unlock"))],
        coerce=lambda value: value == "1",
        error_messages={"invalid_choice": _("Say 1 to lock the stop or 0 to unlock it.")},
    )


class StopMoveForm(forms.Form):
    to_round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=Round.objects.select_related("run", "vehicle", "depot"),
        error_messages={
            "invalid_choice": _("There is no round “%(value)s”: choose one of the rounds on the board."),
            "required": _("Choose the round to move the stop to."),
        },
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        error_messages={
            "invalid": _("The position must be a whole number: 1 is the first stop of the round."),
            "required": _("Give the position in the round: 1 is the first stop."),
            "min_value": _("The position must be a whole number: 1 is the first stop of the round."),
        },
    )
