"""The pharmacy form and its week of opening spans (one row per span: weekday, opens, closes)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from requests_intake.forms_households import TimePicker
from requests_intake.models import Pharmacy, Weekday
from requests_intake.pharmacies import Span, pharmacy_hours_check

# What a new pharmacy starts with, as most here open: split hours on weekdays and Saturday mornings.
USUAL_HOURS = [
    *((day, dt.time(9), dt.time(14)) for day in range(5)),
    *((day, dt.time(17), dt.time(20, 30)) for day in range(5)),
    (Weekday.SATURDAY.value, dt.time(9, 30), dt.time(13, 30)),
]
SPARE_ROWS = 3


class PharmacyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Street and number, then the postcode and town: Calle Real 12, 30201 Cartagena."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_(
            "Usually left blank: the address places the pharmacy. By hand: the first of the two numbers a map "
            "app shows for its door."
        ),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        help_text=_("The second of the two numbers a map app shows."),
    )

    @classmethod
    def for_pharmacy(cls, pharmacy: Pharmacy | None, data=None) -> "PharmacyForm":
        if pharmacy is None:
            return cls(data)
        initial = {name: getattr(pharmacy, name) for name in ("name", "address", "phone", "latitude", "longitude")}
        return cls(data, initial=initial)

    def point_changed(self) -> bool:
        return "latitude" in self.changed_data or "longitude" in self.changed_data


class SpanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *Weekday.choices], coerce=int, empty_value=None, required=False
    )
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TimePicker())
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TimePicker())

    def clean(self):
        data = super().clean()
        given = [data.get(name) is not None for name in ("weekday", "opens", "closes")]
        if any(given) and not all(given) and not self.errors:
            raise ValidationError(
                _("A span needs its weekday, the time it opens and the time it closes; clear the row to drop it."),
                code="hours_incomplete",
            )
        if all(given):
            pharmacy_hours_check([self.span()])
        return data

    def span(self) -> Span | None:
        data = self.cleaned_data
        if data.get("weekday") is None or data.get("opens") is None or data.get("closes") is None:
            return None
        return Span(weekday=data["weekday"], opens=data["opens"], closes=data["closes"])


class BaseSpanFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        pharmacy_hours_check(self.spans())

    def spans(self) -> list[Span]:
        return [
            span
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form)) and (span := form.span()) is not None
        ]


SpanFormSet = formset_factory(SpanForm, formset=BaseSpanFormSet, extra=SPARE_ROWS, can_delete=True)


def hours_formset(pharmacy: Pharmacy | None, data=None):
    """The pharmacy's spans (the usual week for a new one), plus a few empty rows to add more."""
    if pharmacy is None:
        rows = USUAL_HOURS
    else:
        rows = [(span.weekday, span.opens, span.closes) for span in pharmacy.hours.order_by("weekday", "opens")]
    initial = [{"weekday": weekday, "opens": opens, "closes": closes} for weekday, opens, closes in rows]
    return SpanFormSet(data, initial=initial, prefix="hours")
