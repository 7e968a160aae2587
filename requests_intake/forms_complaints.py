"""Forms of the complaints register: the public one, the staff one and the answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_intake.complaints import CONTACT_MAX_CHARS, TEXT_MAX_CHARS
from requests_intake.models import Complaint


class PublicComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it?"), choices=Complaint.Category.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Tell us"), max_length=TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(
        label=_("Phone or e-mail for our answer (optional)"), max_length=CONTACT_MAX_CHARS, required=False
    )


class StatusPageComplaintForm(forms.Form):
    """On the status page the household is known: no contact is asked."""

    category = forms.ChoiceField(label=_("What is it?"), choices=Complaint.Category.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Tell us"), max_length=TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4}))


class StaffComplaintForm(PublicComplaintForm):
    contact = forms.CharField(label=_("Contact for the answer"), max_length=CONTACT_MAX_CHARS, required=False)


class ComplaintAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given"), max_length=TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5})
    )
