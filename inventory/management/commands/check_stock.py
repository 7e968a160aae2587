"""Recompute every lot's balance from the ledger; exit 1 when any kept balance differs."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from inventory.ledger import balance_differences
from inventory.models import StockLot


class Command(BaseCommand):
    help = "Recompute every stock balance from the ledger and report any difference (exit status 1)."

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
            sys.exit(1)
        self.stdout.write(
            _("Stock is consistent: %(count)s lots match the ledger.") % {"count": StockLot.objects.count()}
        )
