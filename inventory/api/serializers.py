"""What the inventory API reads and writes. Stock itself is never written here: it changes through the ledger."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from inventory.catalogue import RESTOCKING_FIELDS, item_restocking_update
from inventory.limits import MAX_UNITS_PER_LOT, MAX_UNITS_PER_MOVEMENT
from inventory.models import Item, PurchaseOrder, PurchaseOrderLine, StockLot, StockMovement, Supplier, Warehouse


def _pk_field(queryset, *, missing, say_which, **kwargs) -> serializers.PrimaryKeyRelatedField:
    """A reference by id whose errors name the thing that was not found (messages stay lazy: translated per request)."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        error_messages={
            "does_not_exist": missing,
            "incorrect_type": _("Give a numeric id, not {data_type}."),
            "required": say_which,
            "null": say_which,
        },
        **kwargs,
    )


class ItemSerializer(serializers.ModelSerializer):
    """Item master data; of it, only the restocking settings may be changed through the API."""

    writable = RESTOCKING_FIELDS

    preferred_supplier = _pk_field(
        Supplier.objects.all(),
        missing=_("There is no supplier with id {pk_value}."),
        say_which=_("Say which supplier."),
        allow_null=True,
        required=False,
    )
    safety_stock = serializers.IntegerField(
        required=False,
        min_value=0,
        # Safety stock is a level of stock: no more than one lot may hold.
        max_value=MAX_UNITS_PER_LOT,
        error_messages={
            "min_value": _("Safety stock cannot be below zero."),
            "max_value": _("Safety stock can be at most {max_value} units."),
            "invalid": _("Safety stock is a whole number of units."),
        },
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "sku",
            "name",
            "name_en",
            "category",
            "unit",
            "weight_kg",
            "volume_l",
            "shelf_life_days",
            "allergens",
            "cold_chain",
            "safety_stock",
            "preferred_supplier",
        ]
        read_only_fields = [f for f in fields if f not in RESTOCKING_FIELDS]

    def validate(self, attrs):
        # DRF would silently drop read-only fields; saying so avoids a caller believing a SKU was renamed.
        refused = sorted(set(self.initial_data) - set(self.writable))
        if refused:
            raise serializers.ValidationError(
                {
                    name: [_("This field cannot be changed here; only safety_stock and preferred_supplier can.")]
                    for name in refused
                },
                code="read_only_field",
            )
        return attrs

    def update(self, instance: Item, validated_data: dict) -> Item:
        # The rules of an item (a donor is never its preferred supplier) are the model's, checked by the service.
        try:
            return item_restocking_update(item=instance, **validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class StockRowSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField()
    warehouse_code = serializers.CharField()
    item = serializers.IntegerField()
    sku = serializers.CharField()
    on_hand = serializers.IntegerField(help_text=_("Units on the shelf, expired ones included."))
    reserved = serializers.IntegerField(help_text=_("Units held for delivery orders."))
    available = serializers.IntegerField(help_text=_("Usable units on hand minus reserved ones."))


class LotSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="item.sku")
    warehouse_code = serializers.CharField(source="warehouse.code")
    location = serializers.CharField(source="location.code", default=None, allow_null=True)
    on_hand = serializers.IntegerField(source="balance.quantity")

    class Meta:
        model = StockLot
        fields = [
            "id",
            "item",
            "sku",
            "warehouse",
            "warehouse_code",
            "location",
            "lot_code",
            "expiry_date",
            "received_on",
            "source",
            "supplier",
            "on_hand",
        ]


class MovementSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="lot.item.sku")
    lot_code = serializers.CharField(source="lot.lot_code")
    warehouse = serializers.IntegerField(source="lot.warehouse_id")
    created_by = serializers.CharField(source="created_by.username")

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "lot",
            "sku",
            "lot_code",
            "warehouse",
            "kind",
            "quantity",
            "reason",
            "order",
            "reverses",
            "batch",
            "note",
            "created_at",
            "created_by",
        ]


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="item.sku")

    class Meta:
        model = PurchaseOrderLine
        fields = ["item", "sku", "quantity_ordered", "quantity_received", "outstanding"]


class PurchaseOrderSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name")
    created_by = serializers.CharField(source="created_by.username")
    lines = PurchaseOrderLineSerializer(many=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "reference",
            "supplier",
            "supplier_name",
            "warehouse",
            "status",
            "expected_on",
            "note",
            "created_at",
            "created_by",
            "lines",
        ]


class PurchaseOrderLineInput(serializers.Serializer):
    item = _pk_field(
        Item.objects.all(), missing=_("There is no item with id {pk_value}."), say_which=_("Say which item.")
    )
    quantity = serializers.IntegerField(
        max_value=MAX_UNITS_PER_MOVEMENT,
        error_messages={
            "required": _("Say how many units to order."),
            "invalid": _("Order a whole number of units."),
            "max_value": _("Order at most {max_value} units on one line."),
            "max_string_length": _("Order a whole number of units."),
        },
    )

    def validate_quantity(self, quantity: int) -> int:
        if quantity < 1:
            raise serializers.ValidationError(
                _("Order at least one unit; got %(quantity)s.") % {"quantity": quantity}, code="quantity_not_positive"
            )
        return quantity


class PurchaseOrderInput(serializers.Serializer):
    """A draft purchase order, as `inventory.purchasing.po_create` takes it."""

    supplier = _pk_field(
        Supplier.objects.all(),
        missing=_("There is no supplier with id {pk_value}."),
        say_which=_("Say which supplier."),
    )
    warehouse = _pk_field(
        Warehouse.objects.all(),
        missing=_("There is no warehouse with id {pk_value}."),
        say_which=_("Say which warehouse."),
    )
    expected_on = serializers.DateField(
        required=False, allow_null=True, error_messages={"invalid": _("Give the date as YYYY-MM-DD.")}
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    lines = PurchaseOrderLineInput(
        many=True,
        allow_empty=False,
        error_messages={"empty": _("A purchase order needs at least one line."), "required": _("List the lines.")},
    )
