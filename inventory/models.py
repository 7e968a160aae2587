from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Item(models.Model):
    class Category(models.TextChoices):
        FOOD = "food", _("Food")
        HYGIENE = "hygiene", _("Hygiene")
        CLEANING = "cleaning", _("Cleaning")
        BABY = "baby", _("Baby")
        MEDICAL = "medical", _("Medical")

    sku = models.CharField(_("SKU"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=20, default="ud")
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=7, decimal_places=3)
    volume_l = models.DecimalField(_("volume (l)"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight_kg__gte=0), name="item_weight_not_negative"),
            models.CheckConstraint(condition=models.Q(volume_l__gte=0), name="item_volume_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"


class Pack(models.Model):
    """A kit of items handed over as one package (a food pack, a hygiene pack)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    items = models.ManyToManyField(Item, through="PackComponent", verbose_name=_("items"))

    class Meta:
        verbose_name = _("pack")
        verbose_name_plural = _("packs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PackComponent(models.Model):
    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="components", verbose_name=_("pack"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("pack component")
        verbose_name_plural = _("pack components")
        constraints = [
            models.UniqueConstraint(fields=["pack", "item"], name="packcomponent_unique_item"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="packcomponent_quantity_positive"),
        ]


class Warehouse(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockLot(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots", verbose_name=_("item"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="lots", verbose_name=_("warehouse"))
    lot_code = models.CharField(_("lot code"), max_length=40)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    received_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("stock lot")
        verbose_name_plural = _("stock lots")
        ordering = ["expiry_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse", "lot_code"], name="stocklot_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.item.sku} / {self.lot_code}"


class StockMovement(models.Model):
    """One line of the stock ledger. Never edited: a mistake is undone by a reversing movement."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        DISPATCH = "dispatch", _("Dispatch")
        RETURN = "return", _("Return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        WRITE_OFF = "write_off", _("Write-off")

    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive into stock, negative out of it."))
    order = models.ForeignKey(
        "logistics.DeliveryOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("delivery order"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stockmovement_quantity_not_zero"),
        ]


class Reservation(models.Model):
    """Items set aside for one delivery order until it is delivered (consumed) or fails (released)."""

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
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, verbose_name=_("warehouse"))
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="reservation_quantity_positive"),
        ]
