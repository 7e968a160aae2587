"""The change page's packs form: the order's packs after the change, as `order_change_packs` takes them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inventory.models import Pack

PACK_ROWS = 3


class OrderPacksForm(forms.Form):
    """Up to PACK_ROWS packs with their quantities; a row left blank is no pack."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(PACK_ROWS):
            self.fields[f"pack_{row}"] = forms.ModelChoiceField(
                label=gettext_lazy("Pack"), queryset=Pack.objects.order_by("name"), required=False
            )
            self.fields[f"quantity_{row}"] = forms.IntegerField(
                label=gettext_lazy("How many"), min_value=1, max_value=999, required=False
            )

    @staticmethod
    def initial_for(order) -> dict:
        lines = list(order.lines.order_by("pk"))[:PACK_ROWS]
        initial = {}
        for row, line in enumerate(lines):
            initial[f"pack_{row}"], initial[f"quantity_{row}"] = line.pack_id, line.quantity
        return initial

    def clean(self):
        data = super().clean()
        packs: dict[int, int] = {}
        for row in range(PACK_ROWS):
            if f"pack_{row}" in self.errors or f"quantity_{row}" in self.errors:
                continue  # already said on its field
            pack, quantity = data.get(f"pack_{row}"), data.get(f"quantity_{row}")
            if pack is None and quantity is None:
                continue
            if pack is None or quantity is None:
                raise ValidationError(
                    _("Give each pack its quantity, or leave both blank."), code="pack_row_incomplete"
                )
            if pack.pk in packs:
                raise ValidationError(_("Each pack once, with its quantity."), code="duplicate_pack")
            packs[pack.pk] = quantity
        data["packs"] = packs
        return data
