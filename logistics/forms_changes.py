from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import DeliveryOrder


class OrderRescheduleForm(forms.Form):
    """A new day, window and way of handing over for one order."""

    due_date = forms.DateField(label=_("New day"), widget=forms.DateInput(attrs={"type": "date"}))
    window_start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    window_end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    mode = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryOrder.Mode.choices)


class OrderCancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[(value, label) for value, label in DeliveryOrder.CancelReason.choices if value != "plan_ended"],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
