"""Balances start as the sum of the ledger for databases that had movements before balances existed."""

from django.db import migrations
from django.db.models import Sum


def balances_from_ledger(apps, schema_editor):
    StockLot = apps.get_model("inventory", "StockLot")
    StockBalance = apps.get_model("inventory", "StockBalance")
    rows = StockLot.objects.annotate(total=Sum("movements__quantity")).values_list("pk", "total")
    StockBalance.objects.bulk_create(StockBalance(lot_id=pk, quantity=total or 0) for pk, total in rows)


def balances_forget(apps, schema_editor):
    """Going back empties the balances, so migrating forward again rebuilds them once instead of twice."""
    apps.get_model("inventory", "StockBalance").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_ledger_purchasing_alerts_counts")]

    operations = [migrations.RunPython(balances_from_ledger, balances_forget)]
