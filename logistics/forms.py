from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import Warehouse
from requests_intake.models import Zone


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


class DepotDayForm(forms.Form):
    """A day's orders to serve from another depot: a depot closed that day, or one depot taking a zone."""

    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    from_depot = forms.ModelChoiceField(
        label=_("Orders now at"),
        queryset=Warehouse.objects.order_by("name"),
        error_messages={
            "invalid_choice": _("There is no depot “%(value)s”: choose one of the list."),
            "required": _("Choose the depot the orders leave."),
        },
    )
    to_depot = forms.ModelChoiceField(
        label=_("Serve them from"),
        queryset=Warehouse.objects.order_by("name"),
        error_messages={
            "invalid_choice": _("There is no depot “%(value)s”: choose one of the list."),
            "required": _("Choose the depot to serve them from."),
        },
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.order_by("name"),
        required=False,
        empty_label=_("Every zone"),
        error_messages={"invalid_choice": _("There is no zone “%(value)s”: choose one of the list.")},
    )
