"""Stock: lots on the shelf, the ledger of every movement, the balances kept from it, and reservations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models.catalogue import PRICE_DIGITS, Item, Location, Pack, Warehouse


class StockLot(models.Model):
    class Source(models.TextChoices):
        PURCHASE = "purchase", _("Purchase order")
        DONATION = "donation", _("Donation")
        ASSEMBLY = "assembly", _("Assembly")
        TRANSFER = "transfer", _("Transfer")
        OPENING = "opening", _("Opening stock")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots", verbose_name=_("item"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="lots", verbose_name=_("warehouse"))
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="lots", verbose_name=_("location")
    )
    lot_code = models.CharField(_("lot code"), max_length=40)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OPENING)
    supplier = models.ForeignKey(
        "inventory.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("supplier or donor"),
    )
    purchase_line = models.ForeignKey(
        "inventory.PurchaseOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("purchase order line"),
    )
    receiving = models.ForeignKey(
        "inventory.Receiving",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("receiving"),
    )
    # From the purchase line's unit price, a donation's declared value or the item's unit cost at receipt;
    # empty for lots received before prices were kept (valued at the item's unit cost).
    unit_cost = models.DecimalField(_("unit cost"), **PRICE_DIGITS, null=True, blank=True)

    class Meta:
        verbose_name = _("stock lot")
        verbose_name_plural = _("stock lots")
        ordering = ["expiry_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse", "lot_code"], name="stocklot_unique_code"),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="stocklot_unit_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item.sku} / {self.lot_code}"


class StockMovement(models.Model):
    """One line of the stock ledger. Never edited or deleted: a mistake is undone by a reversing movement."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        ASSEMBLY = "assembly", _("Assembly")
        DISPATCH = "dispatch", _("Dispatch")
        RETURN = "return", _("Return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        WRITE_OFF = "write_off", _("Write-off")
        TRANSFER = "transfer", _("Transfer")

    class Reason(models.TextChoices):
        COUNT = "count", _("Stock count difference")
        DAMAGED = "damaged", _("Damaged")
        EXPIRED = "expired", _("Expired")
        FOUND = "found", _("Found")
        CORRECTION = "correction", _("Correction of a mistake")
        OTHER = "other", _("Other")

    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive into stock, negative out of it."))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    order = models.ForeignKey(
        "logistics.DeliveryOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("delivery order"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # The movements of one operation (an assembly, a transfer, a count) share a batch.
    batch = models.UUIDField(_("batch"), default=uuid.uuid4, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["created_at", "pk"]
        # "add stock movement" is the right to change stock at all; assembling packs is a separate right.
        permissions = [("assemble_pack", _("Can assemble packs from items"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stockmovement_quantity_not_zero"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["adjustment", "write_off"]) | ~models.Q(reason=""),
                name="stockmovement_adjustment_has_reason",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Stock movements are never edited; post a reversing movement instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Stock movements are never deleted; post a reversing movement instead.")


class StockBalance(models.Model):
    """Units of one lot on the shelf: the ledger's sum, kept in the same transaction as each movement.

    The check constraint makes the database itself refuse any movement that would take a lot below zero."""

    lot = models.OneToOneField(
        StockLot, on_delete=models.PROTECT, primary_key=True, related_name="balance", verbose_name=_("lot")
    )
    quantity = models.IntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stockbalance_not_negative"),
        ]


class Reservation(models.Model):
    """Units set aside for one delivery order until it is delivered (consumed) or fails (released).

    `pack` says which of the order's packs the units are for: the items of a pack still to be assembled, or
    the assembled pack itself. An order line (order and pack) has at most one active hold per item: the pack's
    assembled stock item and each of its components, so a second reservation of the same order is refused by
    the database; more units for a line (an assembly turning items into packs) are added to its hold."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CONSUMED = "consumed", _("Consumed")
        RELEASED = "released", _("Released")

    order = models.ForeignKey(
        "logistics.DeliveryOrder",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("order"),
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("item"))
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pack"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, verbose_name=_("warehouse"))
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [models.Index(fields=["warehouse", "status", "item"], name="reservation_active_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="reservation_quantity_positive"),
            models.UniqueConstraint(
                fields=["order", "pack", "item"],
                condition=models.Q(status="active"),
                name="reservation_one_active_hold_per_line_item",
            ),
        ]
