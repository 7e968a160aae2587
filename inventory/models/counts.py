"""Cycle counts: what the shelf really holds, posted as adjustments where it differs from the ledger."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models.catalogue import Warehouse
from inventory.models.ledger import StockLot, StockMovement


class StockCount(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, verbose_name=_("warehouse"))
    counted_on = models.DateField(_("counted on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counted by")
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-counted_on", "-pk"]


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("count"))
    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, verbose_name=_("lot"))
    expected = models.IntegerField(_("expected"), help_text=_("What the ledger said when the count was posted."))
    counted = models.PositiveIntegerField(_("counted"))
    reason = models.CharField(
        _("reason"), max_length=20, choices=StockMovement.Reason.choices, default=StockMovement.Reason.COUNT
    )

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        constraints = [models.UniqueConstraint(fields=["count", "lot"], name="stockcountline_unique_lot")]

    @property
    def difference(self) -> int:
        return self.counted - self.expected
