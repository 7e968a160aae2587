"""For the pick-up tests: a pick-up order and the checks that nothing changed."""

from inventory.models import StockMovement
from inventory.selectors import on_hand_by_item
from logistics.models import DeliveryOrder
from requests_intake.models import Notification

S = DeliveryOrder.Status


def _pickup(order: DeliveryOrder) -> DeliveryOrder:
    """The order as approval makes it when the plan says the household collects."""
    order.plan.pickup = True
    order.plan.save(update_fields=["pickup"])
    order.mode = DeliveryOrder.Mode.PICKUP
    order.save(update_fields=["mode"])
    return order


def _delivered_notifications(order: DeliveryOrder) -> int:
    return Notification.objects.filter(request=order.plan.request, event=Notification.Event.DELIVERED).count()


def _unchanged(order: DeliveryOrder, item, status: str = S.RESERVED, on_hand: int = 10) -> None:
    order.refresh_from_db()
    assert (order.status, order.collected_by, order.collected_at) == (status, "", None)
    assert StockMovement.objects.filter(kind=StockMovement.Kind.DISPATCH).count() == 0
    assert on_hand_by_item(warehouse=order.warehouse) == {item.pk: on_hand}
    assert _delivered_notifications(order) == 0
