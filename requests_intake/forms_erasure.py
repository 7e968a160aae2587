"""The confirmation a manager fills in before a household's personal data is erased."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests_intake.erasure import REASON_MAX_LENGTH
from requests_intake.models import Household


class ErasureForm(forms.Form):
    confirm = forms.CharField(
        label=_("Household number"),
        help_text=_("Type the number of this household to confirm: erasing cannot be undone."),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the history. For example: written request of the person received on 3 March."),
    )

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip().lstrip("#")
        if typed != str(self.household.pk):
            raise ValidationError(
                _("That is not this household's number; type %(number)s to erase this one.")
                % {"number": self.household.pk},
                code="wrong_household_number",
            )
        return typed
