import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DatePicker
from inventory.limits import MAX_PACKS_PER_PLAN_LINE
from inventory.models import Pack
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import (
    AidRequest,
    Channel,
    Household,
    Need,
    Pharmacy,
    Priority,
    ReferralSource,
    RejectionCode,
)

# Latitude and longitude are map jargon to someone on the phone: say where the two numbers come from, and that the
# address or the map page usually spares them.
LOCATION_HELP_TEXTS = {
    "latitude": _(
        "Usually left blank: the address places the household, or use “Place it on the map” on its record. "
        "By hand: the first of the two numbers a map app shows for the door."
    ),
    "longitude": _("The second of the two numbers a map app shows."),
}


def contact_details_clean(form: forms.BaseForm, data: dict) -> None:
    """Check the document against its type and write the phone in E.164, as errors on their own fields."""
    if "document_type" in data:
        try:
            data["document_number"] = document_normalise(data["document_type"], data.get("document_number", ""))
        except ValidationError as exc:
            form.add_error("document_number", exc)
    try:
        data["phone"] = phone_normalise(data.get("phone", ""))
    except ValidationError as exc:
        form.add_error("phone", exc)


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
        help_texts = LOCATION_HELP_TEXTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model lets a record that came in by message wait for its address; intake always takes one.
        for name in ("address", "municipality"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        contact_details_clean(self, data)
        return data


class AidRequestForm(forms.Form):
    """Screen 2 of a call. Keyboard order: needs, urgency, what was said, then the triage buttons."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    referral_source = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *ReferralSource.choices], required=False
    )
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple)
    priority = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
        required=False,
        empty_value=Priority.NORMAL,
    )
    description = forms.CharField(
        label=_("What the person told us"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    answer = forms.CharField(
        label=_("Answer given (information only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only when the call is answered and closed here; it then never goes to assessment."),
    )
    topic = forms.ChoiceField(
        label=_("Topic of the answer"), choices=[("", "—"), *AidRequest.Topic.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if self.data.get("triage") == "info_only":
            if not (data.get("answer") or "").strip():
                self.add_error(
                    "answer",
                    ValidationError(
                        _("Write the answer given before closing the call as information only."), code="answer_missing"
                    ),
                )
            if not data.get("topic"):
                self.add_error(
                    "topic", ValidationError(_("Choose the topic of the answer given."), code="topic_missing")
                )
        else:
            data["answer"], data["topic"] = "", ""
        return data


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by document, phone, name or address"),
        required=False,
        min_length=2,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class PharmacyChoiceField(forms.ModelChoiceField):
    # Two pharmacies of one chain read alike: the street tells the social worker which is the household's.
    def label_from_instance(self, obj: Pharmacy) -> str:
        return f"{obj.name} · {obj.address}" if obj.address else obj.name


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
    valid_until = forms.DateField(
        label=_("Eligibility valid until"),
        widget=DatePicker(),
        required=False,
        help_text=_("You will be reminded to review the case two weeks before."),
    )
    pickup = forms.BooleanField(
        label=_("Collects at the depot"),
        required=False,
        help_text=_("The household comes to the depot for the aid instead of a delivery at home."),
    )
    pharmacy = PharmacyChoiceField(
        label=_("Pharmacy"),
        queryset=Pharmacy.objects.filter(active=True),
        required=False,
        empty_label=_("— choose the pharmacy —"),
        help_text=_("Where the medication is collected; the van picks it up there before coming home."),
    )
    prescription_ref = forms.CharField(
        label=_("Prescription reference"),
        max_length=60,
        required=False,
        help_text=_("Only the reference: never write diagnoses or medicines here."),
    )
    notes = forms.CharField(label=_("Notes for the delivery"), required=False, max_length=300)
    same_day_confirmed = forms.BooleanField(
        label=_("Deliver the same day anyway"),
        required=False,
        help_text=_("Only when the household truly needs two deliveries that day."),
    )

    def __init__(self, *args, packs: list[Pack], proposal: list[tuple] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("first_delivery_on", timezone.localdate() + dt.timedelta(days=1))
        self.initial.setdefault("valid_until", timezone.localdate() + dt.timedelta(days=180))
        proposed = {pack.pk: (quantity, every_nth) for pack, quantity, every_nth in proposal}
        self.packs = packs
        for pack in packs:
            quantity, every_nth = proposed.get(pack.pk, (0, 1))
            self.fields[f"pack_{pack.pk}"] = forms.IntegerField(
                label=pack.label, min_value=0, max_value=MAX_PACKS_PER_PLAN_LINE, initial=quantity, required=False
            )
            self.fields[f"every_{pack.pk}"] = forms.TypedChoiceField(
                label=_("how often"),
                choices=[(1, _("every delivery")), (2, _("every 2nd delivery")), (4, _("every 4th delivery"))],
                coerce=int,
                initial=every_nth,
                required=False,
                empty_value=1,
            )

    def pack_quantities(self) -> list[tuple[Pack, int, int]]:
        return [
            (pack, self.cleaned_data.get(f"pack_{pack.pk}") or 0, self.cleaned_data.get(f"every_{pack.pk}") or 1)
            for pack in self.packs
        ]

    def pack_fields(self):
        return [(self[f"pack_{pack.pk}"], self[f"every_{pack.pk}"]) for pack in self.packs]


class RejectionForm(forms.Form):
    code = forms.ChoiceField(label=_("Reason"), choices=RejectionCode.choices)
    reason = forms.CharField(label=_("What the requester will be told"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferralForm(forms.Form):
    to = forms.CharField(label=_("Referred to"), max_length=200, help_text=_("The service and, if known, a contact."))


class InformationForm(forms.Form):
    what = forms.CharField(label=_("Information needed"), widget=forms.Textarea(attrs={"rows": 2}))


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=200)


class RenewForm(forms.Form):
    valid_until = forms.DateField(label=_("Eligibility valid until"), widget=DatePicker())
