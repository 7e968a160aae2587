"""The public web form: what a person asking for help fills in, on a phone, without an account."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests_intake.documents import phone_normalise
from requests_intake.models import Channel, Need

# Channels the requester may choose to be told on; the others cannot carry a message.
REPLY_CHANNELS = [
    (Channel.SMS.value, _("SMS")),
    (Channel.WHATSAPP.value, _("WhatsApp")),
    (Channel.EMAIL.value, _("E-mail")),
]


def _text(autocomplete: str, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


class WebRequestForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100, widget=_text("given-name"))
    family_name = forms.CharField(label=_("Family name(s)"), max_length=150, widget=_text("family-name"))
    phone = forms.CharField(label=_("Phone"), max_length=30, widget=_text("tel", type="tel", inputmode="tel"))
    email = forms.EmailField(
        label=_("E-mail (optional)"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Street, number, floor and door."),
        widget=_text("street-address"),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, widget=_text("postal-code", inputmode="numeric"))
    municipality = forms.CharField(label=_("Municipality"), max_length=100, widget=_text("address-level2"))
    needs = forms.MultipleChoiceField(
        label=_("What do you need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one need.")},
    )
    description = forms.CharField(
        label=_("Tell us about your situation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.REQUESTER_LANGUAGES)
    preferred_channel = forms.ChoiceField(
        label=_("How should we tell you about your request?"),
        choices=REPLY_CHANNELS,
        initial=Channel.SMS.value,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I agree that social services keep and use these data to handle my request and deliver the aid."),
        error_messages={"required": _("We can only handle the request with your consent; tick the box.")},
    )
    # Hidden from people by the page's style; a robot that fills every field fills this one too.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self) -> str:
        phone = phone_normalise(self.cleaned_data["phone"])
        if not phone:
            raise ValidationError(_("Give a phone number so that we can reach you."), code="phone_missing")
        return phone

    def clean(self):
        data = super().clean()
        if data.get("preferred_channel") == Channel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(_("Give your e-mail address, or choose another way to be told."), code="email_missing"),
            )
        return data

    @property
    def filled_by_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def submission(self) -> dict:
        """The cleaned answers as `webform_submit` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("consent", "website")}
