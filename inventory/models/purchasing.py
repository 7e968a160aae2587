"""Where stock comes from: suppliers and donors, purchase orders and the goods received against them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from inventory.models.catalogue import PRICE_DIGITS, Item, VatRate, Warehouse


class Supplier(models.Model):
    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        DONOR = "donor", _("Donor")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        CATALAN = "ca", _("Catalan")
        ENGLISH = "en", _("English")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUPPLIER)
    tax_id = models.CharField(_("tax id"), max_length=20, blank=True)
    contact = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), default=7, help_text=_("Days from sending an order to having the goods.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.SPANISH,
        help_text=_("The language of the purchase orders sent to them."),
    )

    class Meta:
        verbose_name = _("supplier or donor")
        verbose_name_plural = _("suppliers and donors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def can_be_preferred(self) -> bool:
        """Whether this may be an item's preferred supplier: only someone we buy from (see `Item.clean`)."""
        return self.kind == self.Kind.SUPPLIER

    def clean(self) -> None:
        # The other side of `Item.clean`: a supplier some items prefer cannot become a donor behind their back.
        if self.pk is None or self.can_be_preferred:
            return
        preferring = Item.objects.filter(preferred_supplier=self).count()
        if preferring:
            raise ValidationError(
                {
                    "kind": ValidationError(
                        ngettext_lazy(
                            "%(name)s is the preferred supplier of %(count)s item; choose another supplier for it "
                            "before making %(name)s a donor.",
                            "%(name)s is the preferred supplier of %(count)s items; choose another supplier for "
                            "them before making %(name)s a donor.",
                            "count",
                        ),
                        code="donor_is_preferred_supplier",
                        params={"name": self.name, "count": preferring},
                    )
                }
            )


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        # In their own context: Spanish agrees them with "pedido" (masculine), unlike a request's statuses.
        DRAFT = "draft", pgettext_lazy("purchase order status", "Draft")
        SENT = "sent", pgettext_lazy("purchase order status", "Sent")
        PARTLY_RECEIVED = "partly_received", pgettext_lazy("purchase order status", "Partly received")
        RECEIVED = "received", pgettext_lazy("purchase order status", "Received")
        CLOSED = "closed", pgettext_lazy("purchase order status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("purchase order status", "Cancelled")

    reference = models.CharField(_("reference"), max_length=20, unique=True, blank=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("supplier")
    )
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, verbose_name=_("deliver to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference or str(_("new purchase order"))


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("purchase order")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, verbose_name=_("item"))
    quantity_ordered = models.PositiveIntegerField(_("ordered"))
    quantity_received = models.PositiveIntegerField(_("received"), default=0)
    unit_price = models.DecimalField(_("unit price"), **PRICE_DIGITS, default=0, help_text=_("VAT excluded."))
    vat_rate = models.PositiveSmallIntegerField(_("VAT rate (%)"), choices=VatRate.choices, default=VatRate.REDUCED)

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "item"], name="poline_unique_item"),
            models.CheckConstraint(condition=models.Q(quantity_ordered__gte=1), name="poline_ordered_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="poline_unit_price_not_negative"),
            models.CheckConstraint(condition=models.Q(vat_rate__in=VatRate.values), name="poline_vat_rate_allowed"),
            models.CheckConstraint(
                condition=models.Q(quantity_received__lte=models.F("quantity_ordered")),
                name="poline_not_received_beyond_ordered",
            ),
        ]

    @property
    def outstanding(self) -> int:
        return self.quantity_ordered - self.quantity_received


class Receiving(models.Model):
    """One delivery of goods at the warehouse door, against a purchase order or as a donation."""

    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivings",
        verbose_name=_("purchase order"),
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, verbose_name=_("warehouse"))
    received_on = models.DateField(_("received on"))
    differences = models.TextField(
        _("differences noted"), blank=True, help_text=_("Missing, damaged or different goods, in the receiver's words.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )

    class Meta:
        verbose_name = _("receiving")
        verbose_name_plural = _("receivings")
        ordering = ["-received_on", "-pk"]


class PurchaseOrderDocument(models.Model):
    """The purchase order as it was sent: the PDF's bytes, to whom and when. Never changed afterwards."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("purchase order")
    )
    file_name = models.CharField(_("file name"), max_length=80)
    content = models.BinaryField(_("PDF"))
    language = models.CharField(_("language"), max_length=8)
    sent_to = models.EmailField(_("sent to"), blank=True, help_text=_("Empty when the supplier has no e-mail."))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )

    class Meta:
        verbose_name = _("sent purchase order")
        verbose_name_plural = _("sent purchase orders")
        ordering = ["-sent_at", "-pk"]
