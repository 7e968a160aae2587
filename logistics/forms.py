from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import Warehouse


class OrderDepotForm(forms.Form):
    """The depot to serve an order from, or to bring its missing stock from."""

    warehouse = forms.ModelChoiceField(
        label=_("Depot"),
        queryset=Warehouse.objects.order_by("name"),
        error_messages={
            "invalid_choice": _("There is no depot “%(value)s”: choose one of the list."),
            "required": _("Choose a depot."),
        },
    )
