"""Two depots and a day of orders at the first, for moving a day's orders to the other depot."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from core.tests.factories import tomorrow
from inventory.ledger import lot_receive
from inventory.models import Item, Pack, Reservation, Warehouse
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.services import order_reserve
from requests_intake.models import AidPlan, Zone
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

ACTIVE = Reservation.Status.ACTIVE


@dataclass
class DepotDay:
    norte: Warehouse
    sur: Warehouse
    rice: Item
    pack: Pack  # 2 kg of rice
    zone_a: Zone
    zone_b: Zone


def depot_day(role_users, *, norte_rice: int = 20, sur_rice: int = 20) -> DepotDay:
    norte = WarehouseFactory(code="norte", name="Almacén Norte")
    sur = WarehouseFactory(code="sur", name="Almacén Sur", latitude=Decimal("37.590000"))
    rice = ItemFactory(name="Arroz 1 kg")
    for depot, units in ((norte, norte_rice), (sur, sur_rice)):
        if units:
            stock(role_users, rice, depot, units)
    return DepotDay(norte, sur, rice, pack_with({rice: 2}, name="Lote de alimentos"), ZoneFactory(), ZoneFactory())


def stock(role_users, item: Item, depot: Warehouse, units: int) -> None:
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=depot,
        lot_code=f"{depot.code}-{item.pk}-{units}",
        quantity=units,
        expiry_date=None,
    )


def day_order(
    role_users,
    world: DepotDay,
    *,
    zone: Zone | None = None,
    depot: Warehouse | None = None,
    reserve: bool = True,
    due=None,
    status: str = DeliveryOrder.Status.PENDING,
    pack: Pack | None = None,
) -> DeliveryOrder:
    """One order of one food pack (2 units of rice; or `pack`) at `depot` (Norte), due tomorrow, reserved there
    unless `reserve` is False."""
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(zone=zone), channel="phone", needs=["food"]
    )
    plan = AidPlan.objects.create(request=request, first_delivery_on=due or tomorrow())
    order = DeliveryOrder.objects.create(
        plan=plan,
        household=request.household,
        warehouse=depot or world.norte,
        due_date=due or tomorrow(),
        status=status,
    )
    DeliveryOrderLine.objects.create(order=order, pack=pack or world.pack, quantity=1)
    if reserve:
        order_reserve(order=order)
    order.refresh_from_db()
    return order


def held(depot: Warehouse) -> dict[int, int]:
    """Units actively held per order at `depot`."""
    rows = (
        Reservation.objects.filter(warehouse=depot, status=ACTIVE)
        .values("order_id")
        .annotate(total=Sum("quantity"))
        .order_by("order_id")
    )
    return {row["order_id"]: row["total"] for row in rows}


def depots_of(orders) -> dict[int, tuple[str, str]]:
    """(depot code, status) per order, read afresh."""
    return {
        pk: (code, status)
        for pk, code, status in DeliveryOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list(
            "pk", "warehouse__code", "status"
        )
    }
