from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delivery.concerns import CLOSING_MAX_CHARS, CONCERN_MAX_CHARS
from delivery.models import Stop
from delivery.proof import proof_from_upload


class DeliveredForm(forms.Form):
    """The plain form, for a phone without JavaScript; with it the page queues the same fields as an action."""

    received_by = forms.CharField(label=_("Received by"), max_length=120, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return proof_from_upload(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.error_list) from None  # the same messages, with their codes


class FailedForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=Stop.FailureReason.choices)


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=_("Concern about this household"),
        max_length=CONCERN_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConcernResolveForm(forms.Form):
    """Closing a concern says what was done and how it ended; both are required."""

    action_taken = forms.CharField(
        label=_("Action taken"), max_length=CLOSING_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    closing_note = forms.CharField(
        label=_("Closing note"), max_length=CLOSING_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
