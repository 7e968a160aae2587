"""What the aid is made of: items, the packs built from them, and the warehouses that hold them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Money: unit costs and prices carry four decimals (a wholesale price of 0,3125 € a unit is common); amounts
# are rounded to the cent where they are added up (inventory/money.py).
PRICE_DIGITS = {"max_digits": 12, "decimal_places": 4}
AMOUNT_DIGITS = {"max_digits": 14, "decimal_places": 2}


class VatRate(models.IntegerChoices):
    """Spain's VAT rates (IVA): 4 % for basic food, hygiene for babies and medicines, 10 % for most other food,
    21 % for everything else."""

    SUPER_REDUCED = 4, _("4 % (super-reduced)")
    REDUCED = 10, _("10 % (reduced)")
    GENERAL = 21, _("21 % (general)")


class Programme(models.TextChoices):
    """What a pack is budgeted under: each programme has a yearly budget."""

    FOOD = "food", _("Food")
    HYGIENE = "hygiene", _("Hygiene")
    BABY = "baby", _("Baby")
    MEDICATION = "medication", _("Medication")


class Item(models.Model):
    class Category(models.TextChoices):
        FOOD = "food", _("Food")
        HYGIENE = "hygiene", _("Hygiene")
        CLEANING = "cleaning", _("Cleaning")
        BABY = "baby", _("Baby")
        MEDICAL = "medical", _("Medical")
        KIT = "kit", _("Assembled pack")

    sku = models.CharField(_("SKU"), max_length=30, unique=True)
    name = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=20, default="ud")
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=7, decimal_places=3)
    volume_l = models.DecimalField(_("volume (l)"), max_digits=7, decimal_places=3)
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True, help_text=_("Empty for goods that do not expire.")
    )
    allergens = models.CharField(
        _("allergens"), max_length=200, blank=True, help_text=_("Comma-separated, as printed on the label.")
    )
    cold_chain = models.BooleanField(_("needs cold chain"), default=False)
    preferred_supplier = models.ForeignKey(
        "inventory.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred supplier"),
    )
    safety_stock = models.PositiveIntegerField(
        _("safety stock"), default=0, help_text=_("Units kept back for the unexpected, on top of lead-time demand.")
    )
    unit_cost = models.DecimalField(
        _("unit cost"),
        **PRICE_DIGITS,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_(
            "What one unit costs, VAT excluded: the price of new purchase order lines and of stock of "
            "unknown cost. Every change is kept in the item's history."
        ),
    )
    vat_rate = models.PositiveSmallIntegerField(_("VAT rate (%)"), choices=VatRate.choices, default=VatRate.REDUCED)
    # Who changed the unit cost and when: the admin's "History" page lists every version.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight_kg__gte=0), name="item_weight_not_negative"),
            models.CheckConstraint(condition=models.Q(volume_l__gte=0), name="item_volume_not_negative"),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="item_unit_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(vat_rate__in=VatRate.values), name="item_vat_rate_allowed"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.label}"

    def clean(self) -> None:
        # The preferred supplier is who the forecast orders from, so it must be someone we buy from. The rule
        # spans two tables (the item and its supplier's kind), which a CHECK constraint cannot reach; the admin
        # runs this through its form, the API and the pages through `inventory.catalogue.item_restocking_update`,
        # and `Supplier.clean` refuses the other way round (making a preferred supplier a donor).
        supplier = self.preferred_supplier if self.preferred_supplier_id is not None else None
        if supplier is not None and not supplier.can_be_preferred:
            raise ValidationError(
                {
                    "preferred_supplier": ValidationError(
                        _("%(name)s is a donor; the preferred supplier must be someone we buy from."),
                        code="preferred_supplier_is_donor",
                        params={"name": supplier.name},
                    )
                }
            )

    @property
    def label(self) -> str:
        """The name in the reader's language; Spanish when no English name was given."""
        if self.name_en and (get_language() or "es").startswith("en"):
            return self.name_en
        return self.name


class Pack(models.Model):
    """A kit of items handed over as one package (a food pack, a hygiene pack).

    Assembled packs are stock of their own: `stock_item` is the item the ledger counts them under."""

    class Size(models.TextChoices):
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")
        BABY = "baby", _("Baby")
        HYGIENE = "hygiene", _("Hygiene")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, default=Size.MEDIUM)
    programme = models.CharField(_("programme"), max_length=12, choices=Programme.choices, default=Programme.FOOD)
    items = models.ManyToManyField("inventory.Item", through="PackComponent", verbose_name=_("items"))
    stock_item = models.OneToOneField(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assembled_pack",
        verbose_name=_("stock item for assembled packs"),
    )

    class Meta:
        verbose_name = _("pack")
        verbose_name_plural = _("packs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "es").startswith("en"):
            return self.name_en
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
    # The depot's break rule: a round longer than `break_after_minutes` gets a pause of `break_minutes` that
    # starts at the latest that many minutes into the shift (routing.adapter).
    break_after_minutes = models.PositiveSmallIntegerField(
        _("break after (minutes)"), default=300, help_text=_("The longest a driver works before a break.")
    )
    break_minutes = models.PositiveSmallIntegerField(_("break (minutes)"), default=30)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place inside a warehouse (aisle, shelf, cold room) where lots are put away."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="locations", verbose_name=_("warehouse")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80, blank=True)
    cold = models.BooleanField(_("refrigerated"), default=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["warehouse", "code"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "code"], name="location_unique_code")]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}"
