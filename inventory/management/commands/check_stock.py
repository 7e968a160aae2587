"""Recompute every lot's balance from the ledger and check the holds against it; exit 1 on any difference."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.ledger import balance_differences
from inventory.models import StockLot
from inventory.selectors import holds_beyond_lines, holds_beyond_stock


class Command(BaseCommand):
    help = (
        "Recompute every stock balance from the ledger, check that active holds fit the usable stock of each "
        "depot and the quantity of each order line, and report any difference (exit status 1)."
    )

    def handle(self, *args, **options):
        differences = balance_differences()
        for diff in differences:
            kept = _("missing") if diff.kept is None else diff.kept
            self.stderr.write(
                _("Lot %(lot)s (id %(id)s): balance says %(kept)s, the ledger says %(ledger)s.")
                % {"lot": diff.lot, "id": diff.lot_id, "kept": kept, "ledger": diff.ledger}
            )
        if differences:
            self.stderr.write(_("%(count)s lots differ from the ledger.") % {"count": len(differences)})
        # A hold promises units at the door: more held than usable, or more than an order line asks for,
        # means a delivery will fail or take too much out of the ledger.
        beyond_stock = holds_beyond_stock(on=timezone.localdate())
        for excess in beyond_stock:
            self.stderr.write(
                _("%(warehouse)s, %(item)s: %(held)s units are held for orders, only %(usable)s usable on hand.")
                % {
                    "warehouse": excess.warehouse.name,
                    "item": excess.item.label,
                    "held": excess.held,
                    "usable": excess.usable,
                }
            )
        beyond_lines = holds_beyond_lines()
        for excess in beyond_lines:
            self.stderr.write(
                _("Order %(order)s, %(pack)s: holds %(held)s packs for a line of %(ordered)s.")
                % {"order": excess.order_id, "pack": excess.pack.label, "held": excess.held, "ordered": excess.ordered}
            )
        if differences or beyond_stock or beyond_lines:
            sys.exit(1)
        self.stdout.write(_("Every active hold is covered by usable stock and fits its order line."))
        self.stdout.write(
            _("Stock is consistent: %(count)s lots match the ledger.") % {"count": StockLot.objects.count()}
        )
