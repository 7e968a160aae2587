from django import forms
from django.utils.translation import gettext_lazy as _

from routing.models import Stop


class DeliveredForm(forms.Form):
    received_by = forms.CharField(label=_("Received by"), max_length=120, required=False)


class FailedForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=Stop.FailureReason.choices)
