"""Stock alerts: raised by the daily check, one open alert per problem, acknowledged by a person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models.catalogue import Item, Warehouse
from inventory.models.ledger import StockLot


class StockAlert(models.Model):
    class Kind(models.TextChoices):
        SHORTFALL = "shortfall", _("Projected shortfall")
        LOW_STOCK = "low_stock", _("Low stock")
        NEAR_EXPIRY = "near_expiry", _("Near expiry")
        EXPIRED = "expired", _("Expired")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # What makes two alerts the same problem (kind, item, warehouse, lot): at most one of them is not resolved.
    key = models.CharField(_("key"), max_length=80)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("item"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, verbose_name=_("warehouse"))
    lot = models.ForeignKey(StockLot, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("lot"))
    on_date = models.DateField(_("date"), help_text=_("When stock runs out, or when the lot expires."))
    quantity = models.IntegerField(_("quantity"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock alert")
        verbose_name_plural = _("stock alerts")
        ordering = ["on_date", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(status="resolved"), name="stockalert_one_live_per_key"
            ),
        ]
