"""The staff's reply to a household, typed on its conversation page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_intake.conversations import REPLY_MAX_LENGTH


class ReplyForm(forms.Form):
    # The length is checked by the service too (with its code); the browser stops the typing at the limit.
    body = forms.CharField(
        label=_("Reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes out by the channel the person last wrote from, with the link to their status page."),
    )
