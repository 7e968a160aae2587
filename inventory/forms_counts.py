from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.params import IdMultipleChoiceField
from core.widgets import DatePicker
from inventory.limits import MAX_UNITS_PER_LOT
from inventory.models import Item, StockCountLine, Warehouse
from inventory.resources import FORMATS

SHEET_MAX_BYTES = 5 * 1024 * 1024


class CountStartForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.order_by("name"))
    counted_on = forms.DateField(label=_("Counted on"), widget=DatePicker())
    items = IdMultipleChoiceField(
        label=_("Only these items"),
        queryset=Item.objects.order_by("sku"),
        required=False,
        help_text=_("Leave empty to count every lot that holds stock."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("counted_on", timezone.localdate())
        warehouses = list(self.fields["warehouse"].queryset[:2])
        if len(warehouses) == 1:
            self.initial.setdefault("warehouse", warehouses[0].pk)


class CountLineForm(forms.ModelForm):
    # The column would take two billion; a shelf never holds more than one lot may.
    counted = forms.IntegerField(
        label=capfirst(StockCountLine._meta.get_field("counted").verbose_name),
        min_value=0,
        max_value=MAX_UNITS_PER_LOT,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_UNITS_PER_LOT, "step": 1, "style": "width:6rem"}),
    )

    class Meta:
        model = StockCountLine
        fields = ["counted", "reason"]


CountLineFormSet = forms.modelformset_factory(StockCountLine, form=CountLineForm, extra=0, can_delete=False)


class CountUploadForm(forms.Form):
    sheet = forms.FileField(label=_("Filled count sheet (.csv or .xlsx)"))

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if Path(sheet.name).suffix.lower().lstrip(".") not in FORMATS:
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file, as exported from this page."), code="sheet_format_unknown"
            )
        if sheet.size > SHEET_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; a count sheet is much smaller."), code="sheet_too_large"
            )
        return sheet

    @property
    def file_format(self) -> str:
        return Path(self.cleaned_data["sheet"].name).suffix.lower().lstrip(".")
