"""Forms of case work: assigning the professional of reference and recording an intervention."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DatePicker
from requests_intake.cases import REASON_MAX_LENGTH
from requests_intake.models import Intervention


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    worker = WorkerChoiceField(
        label=_("Professional of reference"), queryset=None, required=False, empty_label=_("Nobody")
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the social workers of the household's zone are offered; the service checks again.
        self.fields["worker"].queryset = workers


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "date", "duration_minutes", "topic", "note"]
        widgets = {"date": DatePicker(), "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["duration_minutes"].min_value = 1


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class HomeVisitForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DatePicker())
    window_start = forms.TimeField(label=_("From"), widget=TimePicker())
    window_end = forms.TimeField(label=_("Until"), widget=TimePicker())
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


class VisitOutcomeForm(forms.Form):
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=45)
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
