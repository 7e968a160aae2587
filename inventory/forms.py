from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DatePicker
from inventory.limits import MAX_PACKS_PER_ASSEMBLY, MAX_UNITS_PER_MOVEMENT
from inventory.models import StockMovement, Warehouse


class DayForm(forms.Form):
    date = forms.DateField(label=_("Deliveries on"), widget=DatePicker)
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.all(), empty_label=None)


class AssembleForm(forms.Form):
    quantity = forms.IntegerField(label=_("Packs"), min_value=1, max_value=MAX_PACKS_PER_ASSEMBLY)


class LotChangeForm(forms.Form):
    """One form for the three things a person does to a lot by hand."""

    ACTIONS = [
        ("adjust", _("Adjust (+/−)")),
        ("write_off", _("Write off")),
        ("transfer", _("Transfer")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    quantity = forms.IntegerField(
        label=_("Units"),
        min_value=-MAX_UNITS_PER_MOVEMENT,
        max_value=MAX_UNITS_PER_MOVEMENT,
        help_text=_("For an adjustment, negative takes units away."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=StockMovement.Reason.choices, required=False)
    to = forms.ModelChoiceField(label=_("To warehouse"), queryset=Warehouse.objects.all(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "transfer" and not data.get("to"):
            self.add_error("to", _("Choose where the units go."))
        if data.get("action") in ("adjust", "write_off") and not data.get("reason"):
            self.add_error("reason", _("Say why the stock changes."))
        return data
