"""Forms of the household record: the holder's details, the members, and choosing the record a merge keeps."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DatePicker
from requests_intake.forms import LOCATION_HELP_TEXTS, contact_details_clean
from requests_intake.households import MEMBER_FIELDS, MembersChange
from requests_intake.models import Diet, Household, HouseholdMember, Vulnerability, Weekday


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class HouseholdEditForm(forms.ModelForm):
    diets = forms.MultipleChoiceField(
        label=_("Dietary needs"), choices=Diet.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    preferred_days = forms.TypedMultipleChoiceField(
        label=_("Preferred delivery days"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerability"), choices=Vulnerability.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Household
        fields = [
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "nationality",
            "document_type",
            "document_number",
            "phone",
            "email",
            "language",
            "address",
            "postcode",
            "municipality",
            "zone",
            "latitude",
            "longitude",
            "access_notes",
            "members",
            "consent_on",
            "consent_scope",
            "reduced_mobility",
            "diets",
            "preferred_days",
            "preferred_from",
            "preferred_until",
            "same_driver",
            "sign_language_interpreter",
            "easy_read",
            "contact_channel",
            "contact_from",
            "contact_until",
            "vulnerabilities",
        ]
        widgets = {
            "birth_date": DatePicker(),
            "consent_on": DatePicker(),
            "preferred_from": TimePicker(),
            "preferred_until": TimePicker(),
            "contact_from": TimePicker(),
            "contact_until": TimePicker(),
        }
        help_texts = {
            **LOCATION_HELP_TEXTS,
            "members": _(
                "The holder included. Naming members below keeps it unless more people are named; removing one "
                "lowers it by one."
            ),
        }

    def __init__(self, *args, may_see_vulnerability: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who may not see vulnerability do not get the field at all, not even hidden.
        if not may_see_vulnerability:
            del self.fields["vulnerabilities"]
        self.fields["members"].min_value = 1
        self.fields["members"].widget.attrs["min"] = 1

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date is not None and birth_date > timezone.localdate():
            raise ValidationError(_("The birth date cannot be in the future."), code="birth_date_in_future")
        return birth_date

    def clean_consent_on(self):
        consent_on = self.cleaned_data.get("consent_on")
        if consent_on is not None and consent_on > timezone.localdate():
            raise ValidationError(_("Consent cannot be dated in the future."), code="consent_in_future")
        return consent_on

    def clean(self):
        data = super().clean()
        contact_details_clean(self, data)
        if bool(data.get("consent_on")) != bool(data.get("consent_scope")):
            self.add_error(
                "consent_scope",
                ValidationError(
                    _("Consent needs both the date it was given and its scope."), code="consent_incomplete"
                ),
            )
        start, end = data.get("preferred_from"), data.get("preferred_until")
        if start and end and start >= end:
            self.add_error(
                "preferred_until",
                ValidationError(
                    _("“Deliver until” must be later than “deliver from”."), code="preferred_window_reversed"
                ),
            )
        return data

    def validate_unique(self):
        # The service checks the document against the other live records and names the one holding it.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class MemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = list(MEMBER_FIELDS)
        widgets = {"birth_date": DatePicker()}

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date is not None and birth_date > timezone.localdate():
            raise ValidationError(_("The birth date cannot be in the future."), code="birth_date_in_future")
        return birth_date


MEMBER_ROWS = 3


def members_formset(user, data=None, *, instance: Household):
    """The members table as the user may edit it: new rows only with `add`, removal only with `delete`, and the
    listed members read-only without `change`."""
    may_add = user.has_perm("requests_intake.add_householdmember")
    may_change = user.has_perm("requests_intake.change_householdmember")
    formset_class = inlineformset_factory(
        Household,
        HouseholdMember,
        form=MemberForm,
        # Room for a few people in one save; rows left empty are ignored.
        extra=MEMBER_ROWS if may_add else 0,
        can_delete=user.has_perm("requests_intake.delete_householdmember"),
    )
    formset = formset_class(data, instance=instance, prefix="members")
    if not may_change:
        for form in formset.initial_forms:
            for field in form.fields.values():
                field.disabled = True
    return formset


def members_change(formset) -> MembersChange:
    """What a valid members formset asks for, for `members_save` to check and apply."""
    members = formset.save(commit=False)  # saves nothing: it sorts the rows into new, changed and deleted
    changed_fields = dict(formset.changed_objects)
    return MembersChange(
        added=[{name: getattr(m, name) for name in MEMBER_FIELDS} for m in members if m.pk is None],
        changed=[
            (member, {name: getattr(member, name) for name in fields}) for member, fields in changed_fields.items()
        ],
        removed=list(formset.deleted_objects),
    )


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Record that stays"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, households: list[Household], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(h.pk, f"{h.pk} · {h.full_name}") for h in households]
        self.fields["keep"].initial = households[0].pk
