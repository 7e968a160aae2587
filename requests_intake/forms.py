import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.widgets import DatePicker
from inventory.models import Pack
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import Channel, Household, Need, Priority


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "given_name",
            "family_name",
            "document_type",
            "document_number",
            "phone",
            "address",
            "postcode",
            "municipality",
            "latitude",
            "longitude",
            "members",
            "access_notes",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model lets a record that came in by message wait for its address; intake always takes one.
        for name in ("address", "municipality"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        if "document_type" in data:
            try:
                data["document_number"] = document_normalise(data["document_type"], data.get("document_number", ""))
            except ValidationError as exc:
                self.add_error("document_number", exc)
        try:
            data["phone"] = phone_normalise(data.get("phone", ""))
        except ValidationError as exc:
            self.add_error("phone", exc)
        return data


class AidRequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(
        label=_("What the person told us"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by document, phone, name or address"),
        required=False,
        min_length=2,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class ApprovalForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    first_delivery_on = forms.DateField(label=_("Delivery date"), widget=DatePicker())
    repeat_every_days = forms.TypedChoiceField(
        label=_("Repeat"),
        choices=[("", _("Once")), (7, _("Every week")), (14, _("Every two weeks")), (28, _("Every four weeks"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    repeat_until = forms.DateField(label=_("Repeat until"), widget=DatePicker(), required=False)
    notes = forms.CharField(label=_("Notes for the delivery"), required=False, max_length=300)

    def __init__(self, *args, packs: list[Pack], **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("first_delivery_on", timezone.localdate() + dt.timedelta(days=1))
        self.packs = packs
        for pack in packs:
            self.fields[f"pack_{pack.pk}"] = forms.IntegerField(
                label=pack.label, min_value=0, max_value=20, initial=0, required=False
            )

    def pack_quantities(self) -> list[tuple[Pack, int]]:
        return [(pack, self.cleaned_data.get(f"pack_{pack.pk}") or 0) for pack in self.packs]

    def pack_fields(self):
        return [self[f"pack_{pack.pk}"] for pack in self.packs]


class RejectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
