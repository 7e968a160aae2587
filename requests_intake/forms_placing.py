from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests_intake.placing import point_parse


class PlaceForm(forms.Form):
    """One field for the pin: the map fills it, or a person pastes what a map app shows for the door."""

    point = forms.CharField(
        label=_("Point of the door"),
        max_length=60,
        help_text=_(
            "Click the door on the map, or paste the two numbers a map app shows for it, e.g. 37.6050, -0.9850."
        ),
    )

    def clean_point(self):
        try:
            return point_parse(self.cleaned_data["point"])
        except ValidationError as exc:
            raise ValidationError(exc.messages, code=exc.code) from exc
