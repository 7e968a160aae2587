"""Forms of the purchasing pages: they parse input; the rules live in inventory.purchasing."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DatePicker
from inventory.limits import MAX_UNITS_PER_MOVEMENT
from inventory.models import Item, PurchaseOrderLine, Supplier, VatRate, Warehouse
from inventory.selectors import default_warehouse


class PurchaseOrderForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.filter(kind=Supplier.Kind.SUPPLIER)
    )
    warehouse = forms.ModelChoiceField(label=_("Deliver to"), queryset=Warehouse.objects.order_by("name"))
    expected_on = forms.DateField(
        label=_("Expected on"),
        widget=DatePicker(),
        required=False,
        help_text=_("Leave empty to count the supplier's lead time from today."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PurchaseLineForm(forms.Form):
    # Assembled packs are made in the warehouse, not bought.
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.exclude(category=Item.Category.KIT))
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=MAX_UNITS_PER_MOVEMENT)
    unit_price = forms.DecimalField(
        label=_("Unit price (VAT excluded)"),
        min_value=0,
        max_digits=12,
        decimal_places=4,
        required=False,
        help_text=_("Empty: the item's unit cost."),
    )
    vat_rate = forms.TypedChoiceField(
        label=_("VAT"), choices=[("", _("Item's rate")), *VatRate.choices], coerce=int, empty_value=None, required=False
    )


PurchaseLineFormSet = forms.formset_factory(PurchaseLineForm, extra=4)


def filled_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The cleaned rows of a valid formset; extra rows left empty have no data and are skipped."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


class ReceiptForm(forms.Form):
    """One delivery: for each outstanding line, how many units arrived, their lot code and expiry date."""

    received_on = forms.DateField(label=_("Received on"), widget=DatePicker())
    differences = forms.CharField(
        label=_("Differences noted"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Missing, damaged or different goods, in your words."),
    )

    def __init__(self, *args, lines: list[PurchaseOrderLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())
        self.lines = lines
        for line in lines:
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("Units arrived"), min_value=0, max_value=MAX_UNITS_PER_MOVEMENT, required=False, initial=0
            )
            self.fields[f"lot_code_{line.pk}"] = forms.CharField(label=_("Lot code"), max_length=40, required=False)
            self.fields[f"expiry_date_{line.pk}"] = forms.DateField(
                label=_("Expiry date"), widget=DatePicker(), required=False
            )

    def rows(self) -> list[tuple[PurchaseOrderLine, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (line, self[f"quantity_{line.pk}"], self[f"lot_code_{line.pk}"], self[f"expiry_date_{line.pk}"])
            for line in self.lines
        ]

    # The second submit button: every line left blank or at 0 counts as all that is still outstanding on it.
    ALL_OUTSTANDING = "all_outstanding"

    def receipt_lines(self) -> list[tuple[PurchaseOrderLine, int, str, dt.date | None]]:
        data = self.cleaned_data
        if self.ALL_OUTSTANDING in self.data:
            return [
                (
                    line,
                    data.get(f"quantity_{line.pk}") or line.outstanding,
                    data.get(f"lot_code_{line.pk}", ""),
                    data.get(f"expiry_date_{line.pk}"),
                )
                for line in self.lines
            ]
        return [
            (
                line,
                data.get(f"quantity_{line.pk}") or 0,
                data.get(f"lot_code_{line.pk}", ""),
                data.get(f"expiry_date_{line.pk}"),
            )
            for line in self.lines
        ]


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why the rest will not come"), max_length=300, required=False, widget=forms.TextInput()
    )


class DonationForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=Supplier.objects.filter(kind=Supplier.Kind.DONOR))
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.order_by("name"))
    received_on = forms.DateField(label=_("Received on"), widget=DatePicker())
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("The state of the goods, anything missing or damaged."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())
        self.initial.setdefault("warehouse", default_warehouse())


class DonationLineForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.all())
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=MAX_UNITS_PER_MOVEMENT)
    lot_code = forms.CharField(label=_("Lot code"), max_length=40)
    expiry_date = forms.DateField(label=_("Expiry date"), widget=DatePicker(), required=False)
    unit_value = forms.DecimalField(
        label=_("Declared value of one unit"),
        min_value=0,
        max_digits=12,
        decimal_places=4,
        required=False,
        help_text=_("Empty: the item's unit cost."),
    )


DonationLineFormSet = forms.formset_factory(DonationLineForm, extra=5)
