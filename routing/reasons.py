"""Why an order was left out of the day's rounds, in words a planner can act on."""

from django.utils.translation import gettext_lazy as _

NO_LOCATION = "no_location"
STOCK_SHORT = "stock_short"

REASON_TEXT = {
    "no_vehicles": _("No van is available at this depot that day: make a van available, then plan again."),
    "demand_above_capacity": _("The packs weigh or take up more than any van can carry: split the order."),
    "window_unreachable": _(
        "No van can reach the address inside its delivery window and shift: widen the window or extend a shift."
    ),
    "no_capacity_today": _("The vans are full that day: the order waits for the next day, or add a van."),
    NO_LOCATION: _("The address has no coordinates: correct it on the household record."),
    STOCK_SHORT: _("Not enough stock to cover the packs: receive stock, then plan again."),
}
