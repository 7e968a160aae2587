"""How a new delivery order is handed over, from its plan. Its window: `logistics.windows`."""

from logistics.models import DeliveryOrder


def order_mode(plan) -> str:
    """Pick-up at the depot when the plan says the household collects; otherwise delivered at home."""
    return DeliveryOrder.Mode.PICKUP if plan.pickup else DeliveryOrder.Mode.HOME
