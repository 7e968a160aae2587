"""What the board offers to fit into the day's live rounds: the orders due and on no round."""

import datetime as dt

from delivery.models import Stop
from logistics.lifecycle import AWAITING_STOCK
from logistics.models import DeliveryOrder
from logistics.shortages import orders_shortages


def orders_off_the_rounds(date: dt.date, depot_ids: set[int]) -> list[DeliveryOrder]:
    """Home deliveries due by `date` on no round still to visit: ready (stock reserved) or still waiting for stock,
    which may have come in since the plan. Most urgent first."""
    orders = (
        DeliveryOrder.objects.filter(due_date__lte=date, status__in=[DeliveryOrder.Status.RESERVED, *AWAITING_STOCK])
        .exclude(mode=DeliveryOrder.Mode.PICKUP)
        .exclude(pk__in=Stop.objects.filter(outcome=Stop.Outcome.PENDING).values("order"))
    )
    if depot_ids:
        orders = orders.filter(warehouse__in=depot_ids)
    rows = list(
        orders.select_related("household", "warehouse")
        .prefetch_related("lines__pack__components")
        .order_by("priority", "due_date", "pk")
    )
    # What each still lacks, by item: the planner sees whether stock came in, or can send the part that is there.
    lacking = orders_shortages([o for o in rows if o.status != DeliveryOrder.Status.RESERVED], on=date)
    for order in rows:
        order.shortages = lacking.get(order.pk, [])
    return rows
