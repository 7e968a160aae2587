"""How a new delivery order is handed over, from its plan. Its window: `logistics.windows`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inventory.models import Warehouse
from inventory.selectors import default_warehouse
from logistics.models import DeliveryOrder


def order_depot(household=None) -> Warehouse:
    """Where a new order's stock is reserved and its van leaves from: the depot serving the household's zone, or
    the default warehouse when the zone names none (or the household has no zone)."""
    zone = getattr(household, "zone", None)
    if zone is not None and zone.depot_id is not None:
        return zone.depot
    warehouse = default_warehouse()
    if warehouse is None:
        raise ValidationError(_("There is no warehouse yet: create one before approving aid."), code="no_warehouse")
    return warehouse


def order_mode(plan) -> str:
    """Pick-up at the depot when the plan says the household collects; otherwise delivered at home."""
    return DeliveryOrder.Mode.PICKUP if plan.pickup else DeliveryOrder.Mode.HOME
