"""inventory 0006 folds the active holds an order line held twice into one before the database starts refusing
them: a race's duplicate is cut back to what the line needs, an assembly's second hold of packs is added up."""

import pytest

from inventory.tests.factories import ItemFactory, pack_with
from tests.scenarios import approved_order

BEFORE = ("inventory", "0005_assemble_permission")
AFTER = ("inventory", "0006_one_active_hold_per_line_item")

pytestmark = pytest.mark.django_db(transaction=True)


def test_holds_of_one_order_line_and_item_are_folded_into_one_within_what_the_line_needs(migrator, role_users):
    raced, item, warehouse = approved_order(role_users, on_hand=10, per_pack=2)  # holds 2 units of `item`
    assembled, *_ = approved_order(role_users, on_hand=10, per_pack=2)
    kit = pack_with({item: 2})
    kit.stock_item = ItemFactory(category="kit")
    kit.save()
    assembled.reservations.update(status="released")
    assembled.lines.update(pack=kit, quantity=3)
    apps = migrator(BEFORE)
    Reservation = apps.get_model("inventory", "Reservation")  # noqa: N806 - a model class
    line = {"warehouse_id": warehouse.pk, "status": "active"}
    twin = Reservation.objects.create(
        order_id=raced.pk, item_id=item.pk, pack_id=raced.lines.get().pack_id, quantity=2, **line
    )
    from_shelf = Reservation.objects.create(
        order_id=assembled.pk, item_id=kit.stock_item_id, pack_id=kit.pk, quantity=1, **line
    )
    from_assembly = Reservation.objects.create(
        order_id=assembled.pk, item_id=kit.stock_item_id, pack_id=kit.pk, quantity=2, **line
    )

    apps = migrator(AFTER)

    Reservation = apps.get_model("inventory", "Reservation")  # noqa: N806 - a model class
    kept = raced.reservations.exclude(pk=twin.pk).get().pk
    loose = assembled.reservations.exclude(pk__in=[from_shelf.pk, from_assembly.pk]).get().pk
    assert sorted(Reservation.objects.values_list("pk", "quantity", "status")) == sorted(
        [
            (kept, 2, "active"),
            (twin.pk, 2, "released"),
            (loose, 2, "released"),
            (from_shelf.pk, 3, "active"),
            (from_assembly.pk, 2, "released"),
        ]
    )
