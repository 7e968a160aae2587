import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.widgets import DatePicker


class PlanDayForm(forms.Form):
    date = forms.DateField(label=_("Day to plan"), widget=DatePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate() + dt.timedelta(days=1))
