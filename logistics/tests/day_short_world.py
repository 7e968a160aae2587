"""A household whose order has a food pack in stock and a baby pack short of formula, for the shortage tests."""

from core.tests.factories import tomorrow
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from requests_intake.decisions import aid_request_approve
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory


def short_order(role_users, *, rice: int = 10, formula: int = 0, food_packs: int = 1):
    """(order, rice item, formula item, warehouse): food packs of 2 kg of rice, one baby pack of 4 tins of formula."""
    warehouse = WarehouseFactory()
    rice_item = ItemFactory(name="Arroz 1 kg")
    formula_item = ItemFactory(name="Leche de fórmula")
    for item, quantity in ((rice_item, rice), (formula_item, formula)):
        if quantity:
            lot_receive(
                actor=role_users["supplier_coordinator"],
                item=item,
                warehouse=warehouse,
                lot_code=f"L-{item.pk}",
                quantity=quantity,
                expiry_date=None,
            )
    food = pack_with({rice_item: 2}, name="Lote de alimentos")
    baby = pack_with({formula_item: 4}, name="Lote bebé")
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(food, food_packs), (baby, 1)],
        priority=1,
        first_delivery_on=tomorrow(),
    )
    return plan.orders.get(), rice_item, formula_item, warehouse
